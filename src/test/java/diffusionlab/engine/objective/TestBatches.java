package diffusionlab.engine.objective;

import diffusionlab.engine.Rng;
import java.util.function.Predicate;

/** Batches of Gaussian x_0 prepared by an objective, for tests that need particular time steps in them. */
public final class TestBatches {
    private TestBatches() {
    }

    /** The batch of the first seed (1, 2, ...) whose prepared batch satisfies {@code wanted}. */
    public static Batch first(Objective objective, int rows, Predicate<Batch> wanted) {
        for (long seed = 1; ; seed++) {
            Rng rng = new Rng(seed);
            Batch batch = new Batch(rows);
            batch.rows = rows;
            for (int i = 0; i < 2 * rows; i++) {
                batch.x0[i] = rng.gaussian();
            }
            objective.prepare(batch, rng);
            if (wanted.test(batch)) {
                return batch;
            }
        }
    }

    /** Whether the batch holds time step {@code t}. */
    public static boolean hasStep(Batch batch, int t) {
        for (int b = 0; b < batch.rows; b++) {
            if (batch.t[b] == t) {
                return true;
            }
        }
        return false;
    }
}
