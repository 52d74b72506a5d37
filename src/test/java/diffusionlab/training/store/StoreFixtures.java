package diffusionlab.training.store;

import diffusionlab.training.ConfigParser;
import diffusionlab.training.RunConfig;
import diffusionlab.training.PictureKind;
import diffusionlab.training.RunEvent;
import diffusionlab.training.RunState;
import java.util.Map;

/** Small configs, runs and pictures for the store tests. */
final class StoreFixtures {
    private StoreFixtures() {
    }

    static RunConfig config(String name) {
        return ConfigParser.parse(Map.of("preset", "default", "name", name, "steps", 3000, "hidden", 16,
                "layers", 2, "datasetSize", 1000, "batchSize", 64, "seed", 5));
    }

    static StoredRun newRun(String id, long createdAt) {
        return new StoredRun(id, "owner-" + id, createdAt, config("run " + id), RunState.QUEUED, 0, null, 0, -1);
    }

    static RunChanges insert(String id, long createdAt) {
        RunChanges c = new RunChanges(id);
        c.insert(newRun(id, createdAt));
        return c;
    }

    static float[] ramp(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * i - 1;
        }
        return v;
    }

    static Checkpoint checkpoint(long step, int params) {
        return new Checkpoint(step, ramp(params, 1f), ramp(params, 2f), ramp(params, 3f), ramp(params, 4f));
    }

    static RunEvent.Frames frames(PictureKind kind, long step) {
        return new RunEvent.Frames(kind, step, new int[] {0, 10, 20}, new float[][] {ramp(4000, 0.001f),
                ramp(4000, 0.002f), ramp(4000, 0.003f)});
    }

    static RunEvent.Field field(long step) {
        return new RunEvent.Field(step, new int[] {0, 10}, 21, -2, 2, new float[][] {ramp(882, 0.1f), ramp(882, 0.2f)});
    }

    static RunEvent.Samples samples(long step) {
        return new RunEvent.Samples(step, "ancestral", ramp(4000, 0.01f), null);
    }
}
