package diffusionlab.training;

import java.util.function.Consumer;

/**
 * A small text that every web instance of one class shares: what the teacher presents, the class's switches. In
 * the single process it lives in memory; in the web role (docs/SCALING.md) it is a row of PostgreSQL's
 * {@code dl_shared}, and a change made on one instance reaches the others by NOTIFY. Every change is a new
 * {@link Version} whose {@code seq} is one more than the one before it, so an instance keeps the newest it has seen,
 * whatever order the changes reach it in.
 */
public interface SharedDocument {
    /** One version of the document: {@code seq} rises by one with each change, from 1. */
    record Version(long seq, String body) {
    }

    /** Stores the new text and tells every instance; its version. */
    Version publish(String body);

    /**
     * Hands {@code subscriber} the current version, if there is one, then every version published afterwards, on
     * any instance (also, possibly, this one's own and ones it has seen already: keep the highest {@code seq}).
     * Called from another thread in the web role, so it must be quick and must not block.
     */
    void subscribe(Consumer<Version> subscriber);

    /** A document of this process only (the single process: role all). */
    static SharedDocument inMemory() {
        return new SharedDocument() {
            private long seq;

            @Override
            public synchronized Version publish(String body) {
                return new Version(++seq, body);
            }

            @Override
            public void subscribe(Consumer<Version> subscriber) {
                // nothing is published anywhere else
            }
        };
    }
}
