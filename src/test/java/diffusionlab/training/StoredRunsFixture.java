package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.store.Checkpoint;
import diffusionlab.training.store.JdbcRunStore;
import diffusionlab.training.store.RunChanges;
import diffusionlab.training.store.StoreSettings;
import diffusionlab.training.store.StoreWriter;
import diffusionlab.training.store.StoredRun;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * A store full of finished notebook-size runs, as a class leaves it after a term: each with 2,000 loss points,
 * forward and reverse frames of 2,000 points, samples and a checkpoint of the notebook model (72,066 parameters).
 */
public final class StoredRunsFixture {
    private StoredRunsFixture() {
    }

    /** Writes {@code count} finished runs, ids {@code stored000, stored001, ...}, into the store of {@code settings}. */
    public static void storeFinishedRuns(StoreSettings settings, int count) {
        RunConfig config = ConfigParser.parse(Map.of("preset", "notebook"));
        float[] cloud = new float[4000]; // [2000, 2]
        float[][] clouds = new float[10][];
        Arrays.fill(clouds, cloud);
        long[] lossSteps = new long[2000];
        for (int i = 0; i < lossSteps.length; i++) {
            lossSteps[i] = 40L * (i + 1);
        }
        float[] weights = new float[72_066];
        try (JdbcRunStore store = JdbcRunStore.open(settings);
             StoreWriter writer = new StoreWriter(store, (id, reason) -> { }, cause -> { })) {
            for (int i = 0; i < count; i++) {
                String id = String.format("stored%03d", i);
                writer.insert(new StoredRun(id, "o", 1000 + i, config, RunState.QUEUED, 0, null, 0, -1));
                writer.loss(id, lossSteps, new float[lossSteps.length]);
                writer.picture(id, new RunEvent.Frames(PictureKind.FORWARD, 0, new int[10], clouds));
                writer.picture(id, new RunEvent.Frames(PictureKind.REVERSE, 79_000, new int[10], clouds));
                writer.picture(id, new RunEvent.Samples(79_000, "ancestral", cloud, null));
                writer.checkpoint(id, new Checkpoint(79_000, weights, weights, weights, weights));
                writer.status(id, new RunChanges.Status(RunState.DONE, 79_000, null, 2000 + i));
            }
            assertTrue(writer.flush(Duration.ofSeconds(60)), "the store took the runs");
        }
    }
}
