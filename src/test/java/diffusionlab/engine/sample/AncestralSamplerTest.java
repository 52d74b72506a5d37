package diffusionlab.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;
import diffusionlab.engine.Trainer;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.nn.ParamLayout;
import diffusionlab.engine.objective.LogVariance;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.engine.schedule.NoiseSchedule;
import diffusionlab.engine.schedule.ScheduleKind;
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
    void theChainHoldsEveryStateFromNoiseToData() {
        ModelView view = model(ObjectiveKind.DDPM_SIMPLE);
        float[] xT = new float[2 * 64];
        new Rng(1).fillGaussian(xT, 0, xT.length);
        Chain chain = AncestralSampler.sample(view, xT, VarianceType.BETA, new Rng(5),
                ChainRecording.ALL, Cancellation.NEVER);
        assertEquals(21, chain.states().length);
        for (int k = 0; k <= 20; k++) {
            assertEquals(20 - k, chain.steps()[k]);
        }
        assertArrayEquals(xT, chain.states()[0]);
    }

    @Test
    void theLastStepReturnsTheMeanWithoutNoise() {
        // DDPM Alg. 2 (z = 0 at t = 1): x_0 = mu_theta(x_1, 1), computed here from the state before it
        for (ObjectiveKind kind : new ObjectiveKind[] {ObjectiveKind.DDPM_SIMPLE, ObjectiveKind.VLB_SOHL}) {
            ModelView view = model(kind);
            for (VarianceType variance : VarianceType.values()) {
                float[] xT = new float[2 * 64];
                new Rng(1).fillGaussian(xT, 0, xT.length);
                Chain chain = AncestralSampler.sample(view, xT, variance, new Rng(5),
                        ChainRecording.ALL, Cancellation.NEVER);
                float[] x1 = chain.states()[chain.states().length - 2];
                float[] mean = reverseMeanAtTheFirstStep(view, x1);
                for (int i = 0; i < mean.length; i++) {
                    assertEquals(mean[i], chain.last()[i], 1e-6 * Math.max(1, Math.abs(mean[i])), kind.id());
                }
            }
        }
    }

    @Test
    void aLogVarianceFarOutOfRangeIsClampedSoTheChainStaysFinite() {
        // a mean/log-variance model whose output is (0, 0, 1000, 1000) everywhere: exp(1000 / 2) overflows
        MlpShape shape = new MlpShape(2, 16, 2, 4, 20);
        ParamLayout layout = new ParamLayout(shape);
        float[] params = new float[layout.size()];
        params[layout.outBias() + 2] = 1000;
        params[layout.outBias() + 3] = 1000;
        ModelView view = new ModelView(shape, params, NoiseSchedule.of(ScheduleKind.SIGMOID, 20, 1e-4, 0.2),
                ObjectiveKind.DDPM_VLB, Prediction.EPSILON);
        float[] xT = new float[2 * 64];
        new Rng(1).fillGaussian(xT, 0, xT.length);
        Chain chain = AncestralSampler.sample(view, xT, VarianceType.BETA, new Rng(5),
                ChainRecording.ALL, Cancellation.NEVER);
        double sd = Math.exp(LogVariance.MAX / 2);
        for (int k = 1; k < chain.states().length - 1; k++) {
            for (float v : chain.states()[k]) {
                assertTrue(Float.isFinite(v) && Math.abs(v) < 10 * sd, "state " + k + ": " + v);
            }
        }
    }

    /** mu_theta(x_1, 1): the model's mean, or (x_1 - beta_1 / sqrt(1 - alphaBar_1) eps_theta) / sqrt(alpha_1) (DDPM eq. 11). */
    private static float[] reverseMeanAtTheFirstStep(ModelView view, float[] x1) {
        int n = x1.length / 2;
        float[] mean = new float[2 * n];
        if (view.predictsMeanAndVariance()) {
            float[] out = new float[4 * n];
            view.output(x1, 0, n, out);
            for (int b = 0; b < n; b++) {
                mean[2 * b] = out[4 * b];
                mean[2 * b + 1] = out[4 * b + 1];
            }
            return mean;
        }
        NoiseSchedule s = view.schedule();
        float[] eps = new float[2 * n];
        view.epsilon(x1, 0, n, eps);
        for (int i = 0; i < 2 * n; i++) {
            mean[i] = (float) ((x1[i] - s.betas[0] / s.sqrtOneMinusAlphasBar[0] * eps[i]) / Math.sqrt(s.alphas[0]));
        }
        return mean;
    }

    @Test
    void ddimWithEtaZeroIsDeterministicAndEtaOneIsNot() {
        ModelView view = model(ObjectiveKind.DDPM_SIMPLE);
        float[] xT = new float[2 * 64];
        new Rng(1).fillGaussian(xT, 0, xT.length);
        Chain a = DdimSampler.sample(view, xT, 10, 0.0, DdimSampler.Spacing.UNIFORM, new Rng(1),
                ChainRecording.ALL, Cancellation.NEVER);
        Chain b = DdimSampler.sample(view, xT, 10, 0.0, DdimSampler.Spacing.UNIFORM, new Rng(2),
                ChainRecording.ALL, Cancellation.NEVER);
        assertArrayEquals(a.last(), b.last());
        assertEquals(11, a.states().length);
        Chain c = DdimSampler.sample(view, xT, 10, 1.0, DdimSampler.Spacing.UNIFORM, new Rng(2),
                ChainRecording.ALL, Cancellation.NEVER);
        boolean differs = false;
        for (int i = 0; i < c.last().length; i++) {
            differs |= c.last()[i] != a.last()[i];
        }
        assertTrue(differs);
    }
}
