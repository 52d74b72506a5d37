package diffusionlab.engine;

/**
 * Asked between the steps of long work (a sampling chain) whether to give it up: the caller's flag, read
 * every step, so it must be cheap (a volatile read). The engine never cancels anything by itself.
 */
@FunctionalInterface
public interface Cancellation {
    /** Work nobody cancels. */
    Cancellation NEVER = () -> false;

    boolean cancelled();

    /** Throws {@link CancelledException} when the work should stop. */
    default void check() {
        if (cancelled()) {
            throw new CancelledException();
        }
    }
}
