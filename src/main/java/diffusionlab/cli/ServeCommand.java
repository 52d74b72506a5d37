package diffusionlab.cli;

/** {@code serve}: the web app (filled in by the web layer). */
public final class ServeCommand {
    private ServeCommand() {
    }

    public static int run(Args args) {
        System.err.println("serve: not yet available");
        return 1;
    }
}
