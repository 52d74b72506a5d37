package diffusionlab.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.data.Dataset;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.metric.SlicedWasserstein;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.sample.ChainRecording;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.engine.sample.SamplingConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End to end: train at full budget, sample 10,000 points, and measure them against fresh data with the
 * sliced Wasserstein distance (1,024 directions, so the estimate's own noise stays near 0.001).
 * Tagged "slow" (about a minute in all); CI runs it.
 */
@Tag("slow")
class QualityTest {
    private static final int N = 10_000;
    private static final int DIRECTIONS = 1024;

    private static float[] freshData(long seed) {
        return Dataset.of(DatasetKind.SWISS_ROLL, 0.5).sample(N, new Rng(seed));
    }

    private static double distance(float[] a, float[] b) {
        return SlicedWasserstein.distance(a, b, DIRECTIONS, new Rng(99));
    }

    private static float[] anchor(String name) throws IOException {
        try (InputStream in = QualityTest.class.getResourceAsStream("/anchors/" + name)) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            float[] xy = new float[2 * (lines.length - 1)];
            for (int i = 1; i < lines.length; i++) {
                String[] p = lines[i].split(",");
                xy[2 * (i - 1)] = Float.parseFloat(p[0]);
                xy[2 * (i - 1) + 1] = Float.parseFloat(p[1]);
            }
            return xy;
        }
    }

    private static float[] trainAndSample(ExperimentConfig config, boolean ema) {
        Trainer trainer = new Trainer(config);
        trainer.run(config.steps(), 10_000, (step, loss) -> true);
        ModelView view = trainer.view(ema);
        return SamplingConfig.defaults().sample(view, N, new Rng(2024), ChainRecording.LAST, Cancellation.NEVER)
                .last();
    }

    @Test
    void notebookDdpmSamplesAtLeastAsWellAsTheNotebooksPyTorch() throws IOException {
        ExperimentConfig notebook = ExperimentConfig.notebook(ObjectiveKind.DDPM_SIMPLE);
        float[] fresh = freshData(1);
        Trainer trainer = new Trainer(notebook);
        trainer.run(notebook.steps(), 10_000, (step, loss) -> true);
        for (boolean ema : new boolean[] {false, true}) {
            float[] ours = SamplingConfig.defaults().sample(trainer.view(ema), N, new Rng(2024), ChainRecording.LAST,
                    Cancellation.NEVER).last();
            float[] theirs = anchor(ema ? "seed_torch_ddpm_ema.csv" : "seed_torch_ddpm_raw.csv");
            double dOurs = distance(ours, fresh);
            double dTheirs = distance(theirs, fresh);
            System.out.printf("notebook DDPM (%s weights): engine %.4f, notebook's PyTorch %.4f%n",
                    ema ? "EMA" : "raw", dOurs, dTheirs);
            // "at least as well", up to the metric's sampling noise between two 10k clouds
            assertTrue(dOurs <= dTheirs + 0.005, (ema ? "EMA" : "raw") + ": engine " + dOurs + " vs PyTorch " + dTheirs);
        }
    }

    @Test
    void appDefaultsSampleWithin2point5TimesTheDistanceBetweenTwoFreshDataSets() {
        ExperimentConfig defaults = ExperimentConfig.defaults();
        float[] ours = trainAndSample(defaults, true);
        float[] fresh = freshData(1);
        double floor = distance(freshData(2), fresh);
        double dOurs = distance(ours, fresh);
        System.out.printf("app defaults: engine %.4f, two fresh data sets %.4f (ratio %.2f)%n", dOurs, floor, dOurs / floor);
        assertTrue(dOurs <= 2.5 * floor, "engine " + dOurs + " vs floor " + floor);
    }
}
