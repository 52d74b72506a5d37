package diffusionlab.engine;

/** Work given up because its {@link Cancellation} said so; nothing it was computing is returned. */
public final class CancelledException extends RuntimeException {
    public CancelledException() {
        super("cancelled", null, false, false);
    }
}
