package diffusionlab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.nn.ParamLayout;
import diffusionlab.engine.objective.Coupling;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.metric.SlicedWasserstein;
import diffusionlab.engine.sample.ChainRecording;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.engine.sample.SamplingConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {

    static ExperimentConfig small(ObjectiveKind objective, long steps) {
        return ExperimentConfig.builder().datasetSize(2000).objective(objective)
                .timesteps(50).betaStart(1e-4).betaEnd(0.1).hidden(32).layers(2)
                .steps(steps).batchSize(64).lr(1e-3).emaDecay(0.99).sigma(0.1).seed(7).build();
    }

    @Test
    void aCosineScheduleStepsFullyAfterItsWarmUpAndNotAtAllAtTheRunsLastStep() {
        ExperimentConfig cosine = small(ObjectiveKind.DDPM_SIMPLE, 100).toBuilder()
                .lrSchedule(diffusionlab.engine.nn.LrSchedule.COSINE).build();
        Trainer scheduled = new Trainer(cosine);
        Trainer constant = new Trainer(small(ObjectiveKind.DDPM_SIMPLE, 100));
        scheduled.step(); // k = 1 of a 5-step warm-up: a fifth of the step size
        constant.step();
        float[] init = new Trainer(cosine).rawWeights();
        double moved = 0;
        double movedConstant = 0;
        for (int i = 0; i < init.length; i++) {
            moved = Math.max(moved, Math.abs(scheduled.rawWeights()[i] - init[i]));
            movedConstant = Math.max(movedConstant, Math.abs(constant.rawWeights()[i] - init[i]));
        }
        assertEquals(movedConstant / 5, moved, movedConstant * 1e-3, "Adam's first step moves each weight by ~η·f(1)");
        for (int i = 1; i < 99; i++) {
            scheduled.step();
        }
        float[] before = scheduled.rawWeights().clone();
        scheduled.step(); // k = K: f = 0
        assertArrayEquals(before, scheduled.rawWeights());
    }

    @Test
    void trainingIsDeterministicForASeed() {
        for (ObjectiveKind kind : ObjectiveKind.values()) {
            Trainer a = new Trainer(small(kind, 100));
            Trainer b = new Trainer(small(kind, 100));
            double la = 0;
            double lb = 0;
            for (int i = 0; i < 60; i++) {
                la = a.step();
                lb = b.step();
            }
            assertEquals(la, lb, 0.0, kind.id());
            assertArrayEquals(a.rawWeights(), b.rawWeights(), kind.id());
            assertArrayEquals(a.emaWeights(), b.emaWeights(), kind.id());
        }
    }

    @Test
    void theLossOfEveryObjectiveGoesDown() {
        for (ObjectiveKind kind : ObjectiveKind.values()) {
            Trainer trainer = new Trainer(small(kind, 3000));
            double first = 0;
            double last = 0;
            for (int i = 0; i < 3000; i++) {
                double loss = trainer.step();
                if (i < 200) {
                    first += loss / 200;
                } else if (i >= 2800) {
                    last += loss / 200;
                }
            }
            assertTrue(last < first, kind.id() + ": " + first + " -> " + last);
        }
    }

    @Test
    void flowMatchingLearnsToCarryNoiseOntoTheData() {
        Trainer trainer = new Trainer(small(ObjectiveKind.FLOW_MATCHING, 4000).toBuilder().lr(2e-3).build());
        trainer.run(4000, 4000, (step, loss) -> true);
        int n = 2000;
        float[] samples = SamplingConfig.defaults().sample(trainer.view(true), n, new Rng(3), ChainRecording.LAST,
                Cancellation.NEVER).last();
        float[] fresh = trainer.dataset().sample(n, new Rng(4));
        float[] noise = new float[2 * n];
        new Rng(5).fillGaussian(noise, 0, noise.length);
        double toSamples = SlicedWasserstein.distance(samples, fresh, 64, new Rng(6));
        double toNoise = SlicedWasserstein.distance(noise, fresh, 64, new Rng(6));
        // measured: 0.14 against 0.41 (width 32, 4,000 steps, Euler in 50 steps)
        assertTrue(toSamples < toNoise / 2, "samples " + toSamples + ", noise " + toNoise);
    }

    @Test
    void reflowTrainsOnEachPointsPairedNoiseNotOnFreshNoise() {
        // pairs whose noise is the point itself: the velocity ε − x₀ is 0 everywhere, which fresh noise never gives
        int n = 1000;
        float[] z = new float[2 * n];
        new Rng(9).fillGaussian(z, 0, z.length);
        ExperimentConfig c = small(ObjectiveKind.FLOW_MATCHING, 1500);
        Trainer paired = new Trainer(c, new Coupling(z, z));
        Trainer fresh = new Trainer(c.toBuilder().dataset(DatasetKind.POINTS).points(z).build());
        double[] last = new double[2];
        paired.run(1500, 1500, (step, loss) -> { last[0] = loss; return true; });
        fresh.run(1500, 1500, (step, loss) -> { last[1] = loss; return true; });
        assertTrue(last[0] < 0.01 && last[1] > 0.5, "paired " + last[0] + ", fresh " + last[1]);
        assertArrayEquals(z, paired.trainingData(), "the pairs' points are the training data");
        assertThrows(IllegalArgumentException.class,
                () -> new Trainer(small(ObjectiveKind.DDPM_SIMPLE, 10), new Coupling(z, z)));
    }

    @Test
    void emaWeightsAreAMovingAverageOfTheRawOnes() {
        ExperimentConfig c = small(ObjectiveKind.DDPM_SIMPLE, 10);
        Trainer trainer = new Trainer(c);
        float[] before = trainer.emaWeights().clone();
        trainer.step();
        float[] raw = trainer.rawWeights();
        float[] ema = trainer.emaWeights();
        for (int i = 0; i < raw.length; i += 97) {
            assertEquals(0.99 * before[i] + 0.01 * raw[i], ema[i], 1e-6);
        }
    }

    @Test
    void aNonFiniteGradientSkipsTheUpdateAndIsCounted() {
        Trainer trainer = new Trainer(small(ObjectiveKind.DDPM_SIMPLE, 10));
        trainer.step();
        // a NaN output bias (as after an overflow) makes the output, the loss and every gradient NaN
        int bias = new ParamLayout(trainer.shape()).outBias();
        trainer.rawWeights()[bias] = Float.NaN;
        float[] raw = trainer.rawWeights().clone();
        float[] ema = trainer.emaWeights().clone();
        float[] firstMoment = trainer.optimizer().firstMoment().clone();
        trainer.step();
        assertTrue(Double.isNaN(trainer.lastGradNorm()));
        assertEquals(1, trainer.skippedUpdates());
        assertEquals(2, trainer.steps());
        assertEquals(1, trainer.optimizer().steps());
        assertArrayEquals(raw, trainer.rawWeights());
        assertArrayEquals(ema, trainer.emaWeights());
        assertArrayEquals(firstMoment, trainer.optimizer().firstMoment());
    }

    @Test
    void dsmOnGaussianDataRecoversTheAnalyticScore() {
        // data N(mu, s^2 I) perturbed by N(0, sigma^2 I) is N(mu, (s^2 + sigma^2) I): the optimal score is
        // -(x - mu) / (s^2 + sigma^2)
        double mx = 0.5, my = -0.3, s = 0.5, sigma = 0.3;
        Rng rng = new Rng(1);
        float[] pts = new float[2 * 20_000];
        for (int i = 0; i < pts.length; i += 2) {
            pts[i] = (float) (mx + s * rng.gaussian());
            pts[i + 1] = (float) (my + s * rng.gaussian());
        }
        ExperimentConfig c = ExperimentConfig.builder().dataset(DatasetKind.POINTS).datasetSize(0).datasetNoise(0.0)
                .points(pts).objective(ObjectiveKind.DSM).timesteps(10).betaStart(1e-4).betaEnd(0.1)
                .hidden(64).layers(2).steps(6000).batchSize(512).lr(3e-3).gradClip(0.0).emaDecay(0.0)
                .sigma(sigma).seed(3).build();
        Trainer trainer = new Trainer(c);
        for (int i = 0; i < c.steps(); i++) {
            trainer.step();
        }
        ModelView view = trainer.view(false);
        double var = s * s + sigma * sigma;
        float[] x = {0.5f, -0.3f, 1.0f, 0.0f, 0.0f, -0.8f, 0.9f, -0.7f, 0.2f, 0.1f};
        float[] score = new float[x.length];
        view.score(x, 0, 5, score);
        for (int i = 0; i < x.length; i++) {
            double expected = -(x[i] - (i % 2 == 0 ? mx : my)) / var;
            assertEquals(expected, score[i], 0.15 + 0.1 * Math.abs(expected), "coordinate " + i);
        }
    }

    @Test
    void anInterruptIsHandledAfterItsStepWhateverEveryIsAndLeavesTheLossPointsOnTheirGrid() {
        Trainer trainer = new Trainer(small(ObjectiveKind.DDPM_SIMPLE, 100));
        List<Long> points = new ArrayList<>();
        List<Long> interrupts = new ArrayList<>();
        trainer.run(100, 10, () -> trainer.steps() % 7 == 0, step -> interrupts.add(step) && step < 21,
                (step, loss) -> points.add(step));
        assertEquals(List.of(7L, 14L, 21L), interrupts, "each after its step; false stopped training");
        assertEquals(List.of(10L, 20L), points);
        assertEquals(21, trainer.steps());

        trainer.run(30, 10, (step, loss) -> points.add(step));
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 51L), points, "on the multiples of every, and after the last");
    }
}
