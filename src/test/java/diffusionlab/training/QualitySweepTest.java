package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.Trainer;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.engine.Rng;
import org.junit.jupiter.api.Test;

class QualitySweepTest {
    private static final MlpShape DEFAULT_MODEL = new MlpShape(2, 128, 3, 2, 100);

    @Test
    void aDiffusionModelIsMeasuredWithDdimAtOneToThirtyTwoStepsAndAllTSteps() {
        QualitySweep sweep = new QualitySweep(ObjectiveKind.DDPM_SIMPLE, SamplingConfig.defaults(), 100, DEFAULT_MODEL);
        assertArrayEquals(new int[] {1, 2, 4, 8, 16, 32, 100}, sweep.evaluations());
    }

    @Test
    void aShortScheduleCapsDdimAtTAndCountsEachChainOnce() {
        QualitySweep sweep = new QualitySweep(ObjectiveKind.DDPM_SIMPLE, SamplingConfig.defaults(), 20, DEFAULT_MODEL);
        assertArrayEquals(new int[] {1, 2, 4, 8, 16, 20}, sweep.evaluations());
    }

    @Test
    void aFlowModelIsMeasuredWithItsOwnOdeSamplerHeunCountingTwoEvaluationsAStep() {
        SamplingConfig heun = SamplingConfig.defaults().withSampler(SamplerKind.HEUN, 50);
        assertArrayEquals(new int[] {1, 3, 7, 15, 31, 99},
                new QualitySweep(ObjectiveKind.FLOW_MATCHING, heun, 100, DEFAULT_MODEL).evaluations());
        SamplingConfig euler = SamplingConfig.defaults().withSampler(null, SamplingConfig.EULER_STEPS);
        assertArrayEquals(new int[] {1, 2, 4, 8, 16, 32, 100},
                new QualitySweep(ObjectiveKind.FLOW_MATCHING, euler, 100, DEFAULT_MODEL).evaluations());
    }

    @Test
    void aScoreModelIsMeasuredWithLangevinAtItsIterations() {
        SamplingConfig langevin = SamplingConfig.defaults().withSampler(SamplerKind.LANGEVIN, 1000);
        assertArrayEquals(new int[] {1, 2, 4, 8, 16, 32, 1000},
                new QualitySweep(ObjectiveKind.DSM, langevin, 0, DEFAULT_MODEL).evaluations());
    }

    @Test
    void oneSweepKeepsToItsBudgetByDrawingFewerPoints() {
        for (SamplingConfig s : new SamplingConfig[] {SamplingConfig.defaults(),
                SamplingConfig.defaults().withSampler(SamplerKind.LANGEVIN, 1000)}) {
            ObjectiveKind objective = s.sampler() == null ? ObjectiveKind.DDPM_SIMPLE : ObjectiveKind.DSM;
            QualitySweep sweep = new QualitySweep(objective, s, 100, DEFAULT_MODEL);
            double seconds = sweep.passes() * RunCost.forwardFlops(DEFAULT_MODEL) / RunCost.FLOPS_PER_SECOND;
            assertTrue(seconds <= QualitySweep.BUDGET_SECONDS * 1.001, objective + ": " + seconds + " s");
            assertTrue(sweep.points() >= QualitySweep.MIN_POINTS);
        }
    }

    @Test
    void moreStepsOfATrainedFlowLandCloserToTheDataAndItsPathsAreNearlyStraight() {
        ExperimentConfig ex = ExperimentConfig.builder().dataset(DatasetKind.GAUSSIANS8).datasetSize(2000)
                .objective(ObjectiveKind.FLOW_MATCHING).timesteps(20).hidden(64).layers(2).steps(3000).batchSize(256)
                .build();
        Trainer trainer = new Trainer(ex);
        trainer.run(ex.steps(), 1000, (step, loss) -> true);
        QualitySweep sweep = new QualitySweep(ex.objective(), SamplingConfig.defaults(), ex.timesteps(), trainer.shape());
        float[] heldOut = trainer.dataset().sample(2000, new Rng(9));

        RunEvent.Quality q = sweep.measure(FrozenWeights.of(trainer).view(true), 3000, heldOut, 5, Cancellation.NEVER);

        assertArrayEquals(sweep.evaluations(), q.evaluations());
        assertEquals("euler", q.sampler());
        double[] d = q.distances();
        assertTrue(d[d.length - 1] < 0.5 * d[0], "the full chain beats one step: " + java.util.Arrays.toString(d));
        assertTrue(q.straightness() >= 0 && q.straightness() < 0.5, "straightness " + q.straightness());
    }
}
