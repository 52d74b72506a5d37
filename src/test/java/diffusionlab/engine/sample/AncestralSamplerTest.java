package diffusionlab.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.Rng;
import diffusionlab.engine.Trainer;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.objective.ObjectiveKind;
import org.junit.jupiter.api.Test;

class AncestralSamplerTest {

    private static ModelView model(ObjectiveKind objective) {
        ExperimentConfig c = ExperimentConfig.builder().dataset(DatasetKind.MOONS).datasetSize(1000)
                .objective(objective).timesteps(20).betaStart(1e-4).betaEnd(0.2).hidden(16).layers(2)
                .steps(50).batchSize(32).lr(1e-3).emaDecay(0.9).build();
        Trainer trainer = new Trainer(c);
        for (int i = 0; i < 50; i++) {
            trainer.step();
        }
        return trainer.view(true);
    }

    @Test
    void theChainHoldsEveryStateFromNoiseToDataAndEndsWithoutNoise() {
        for (ObjectiveKind kind : new ObjectiveKind[] {ObjectiveKind.DDPM_SIMPLE, ObjectiveKind.VLB_SOHL}) {
            ModelView view = model(kind);
            float[] xT = new float[2 * 64];
            new Rng(1).fillGaussian(xT, 0, xT.length);
            Chain a = AncestralSampler.sample(view, xT, VarianceType.BETA, new Rng(5));
            assertEquals(21, a.states().length);
            assertEquals(20, a.steps()[0]);
            assertEquals(0, a.steps()[20]);
            assertArrayEquals(xT, a.states()[0]);
            // same noise up to the last step: the last step adds none, so it is a function of x_1 alone
            Chain b = AncestralSampler.sample(view, xT, VarianceType.BETA, new Rng(5));
            assertArrayEquals(a.last(), b.last());
        }
    }

    @Test
    void ddimWithEtaZeroIsDeterministicAndEtaOneIsNot() {
        ModelView view = model(ObjectiveKind.DDPM_SIMPLE);
        float[] xT = new float[2 * 64];
        new Rng(1).fillGaussian(xT, 0, xT.length);
        Chain a = DdimSampler.sample(view, xT, 10, 0.0, DdimSampler.Spacing.UNIFORM, new Rng(1));
        Chain b = DdimSampler.sample(view, xT, 10, 0.0, DdimSampler.Spacing.UNIFORM, new Rng(2));
        assertArrayEquals(a.last(), b.last());
        assertEquals(11, a.states().length);
        Chain c = DdimSampler.sample(view, xT, 10, 1.0, DdimSampler.Spacing.UNIFORM, new Rng(2));
        boolean differs = false;
        for (int i = 0; i < c.last().length; i++) {
            differs |= c.last()[i] != a.last()[i];
        }
        assertTrue(differs);
    }
}
