package diffusionlab.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;
import diffusionlab.engine.schedule.NoiseSchedule;
import diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

/**
 * DPM-Solver++(2M) on Gaussian data, where the optimal noise estimate is known in closed form: per coordinate
 * x₀ ~ N(μ, s²), x_t = α_t x₀ + σ_t ε, so ε*(x, t) = σ_t (x − α_t μ) / (α_t² s² + σ_t²), and the probability-flow
 * ODE carries x_T to x_t = α_t μ + √(α_t² s² + σ_t²) (x_T − α_T μ) / √(α_T² s² + σ_T²) exactly.
 */
class DpmSolverSamplerTest {
    private static final int T = 1000;
    private static final NoiseSchedule SCHEDULE = NoiseSchedule.of(ScheduleKind.LINEAR, T, 1e-4, 0.02);
    private static final double[] MU = {0.5, -1};
    private static final double S = 0.5;

    /** The exact ε* of the Gaussian data, as a model would give it. */
    static final NoiseEstimate GAUSSIAN = new NoiseEstimate() {
        @Override
        public NoiseSchedule schedule() {
            return SCHEDULE;
        }

        @Override
        public void epsilon(float[] x, int t, int n, float[] eps) {
            double a = SCHEDULE.sqrtAlphasBar[t];
            double sigma = SCHEDULE.sqrtOneMinusAlphasBar[t];
            for (int i = 0; i < 2 * n; i++) {
                eps[i] = (float) (sigma * (x[i] - a * MU[i & 1]) / (a * a * S * S + sigma * sigma));
            }
        }
    };

    private static float[] noise(int n) {
        float[] xT = new float[2 * n];
        new Rng(11).fillGaussian(xT, 0, xT.length);
        return xT;
    }

    private static float[] dpm(float[] xT, int steps) {
        return DpmSolverSampler.sample(GAUSSIAN, xT, steps, ChainRecording.LAST, Cancellation.NEVER).last();
    }

    private static float[] ddim(float[] xT, int steps) {
        return DdimSampler.sample(GAUSSIAN, xT, steps, 0, DdimSampler.Spacing.UNIFORM, new Rng(0), ChainRecording.LAST,
                Cancellation.NEVER).last();
    }

    /** Root mean squared distance between two clouds, point by point. */
    private static double rms(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(sum / a.length);
    }

    /** The exact ODE from x_T to step τ₁ = 1 (array index 0), then the final step x̂₀ that every chain shares. */
    static float[] exact(float[] xT) {
        double aT = SCHEDULE.sqrtAlphasBar[T - 1], sT = SCHEDULE.sqrtOneMinusAlphasBar[T - 1];
        double a1 = SCHEDULE.sqrtAlphasBar[0], s1 = SCHEDULE.sqrtOneMinusAlphasBar[0];
        float[] x1 = new float[xT.length];
        for (int i = 0; i < xT.length; i++) {
            double z = (xT[i] - aT * MU[i & 1]) / Math.sqrt(aT * aT * S * S + sT * sT);
            x1[i] = (float) (a1 * MU[i & 1] + Math.sqrt(a1 * a1 * S * S + s1 * s1) * z);
        }
        float[] eps = new float[xT.length];
        GAUSSIAN.epsilon(x1, 0, xT.length / 2, eps);
        float[] x0 = new float[xT.length];
        for (int i = 0; i < xT.length; i++) {
            x0[i] = (float) ((x1[i] - s1 * eps[i]) / a1);
        }
        return x0;
    }

    @Test
    void doublingTheStepsQuartersTheErrorWhereDdimOnlyHalvesIt() {
        float[] xT = noise(256);
        float[] exact = exact(xT);
        int[] steps = {20, 40, 80, 160};
        double[] errors = new double[steps.length];
        double[] ddimErrors = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            errors[i] = rms(dpm(xT, steps[i]), exact);
            ddimErrors[i] = rms(ddim(xT, steps[i]), exact);
        }
        System.out.printf("error against the exact ODE at S = 20, 40, 80, 160: DPM-Solver++(2M) %s, DDIM %s%n",
                java.util.Arrays.toString(errors), java.util.Arrays.toString(ddimErrors));
        for (int i = 1; i < steps.length; i++) {
            double ratio = errors[i - 1] / errors[i];
            assertTrue(ratio > 3.3 && ratio < 5, "second order: ~4x from S = " + steps[i - 1] + " to " + steps[i]
                    + ", got " + ratio);
            double ddimRatio = ddimErrors[i - 1] / ddimErrors[i];
            assertTrue(ddimRatio > 1.7 && ddimRatio < 2.3, "DDIM is first order: ~2x, got " + ddimRatio);
        }
    }

    @Test
    void atTheSameNumberOfEvaluationsItLandsCloserThanDdim() {
        float[] xT = noise(2000);
        float[] exact = exact(xT);
        for (int steps : new int[] {5, 10, 20}) {
            double dpm = rms(dpm(xT, steps), exact);
            double ddim = rms(ddim(xT, steps), exact);
            assertTrue(dpm < ddim / 2, steps + " evaluations: DPM-Solver++(2M) " + dpm + ", DDIM " + ddim);
        }
    }

    @Test
    void oneStepIsDdimsOneStepAndStatesAreLabelledWithTheirStepsEvenInLambda() {
        float[] xT = noise(4);
        assertArrayEquals(ddim(xT, 1), dpm(xT, 1));
        Chain chain = DpmSolverSampler.sample(GAUSSIAN, xT, 5, ChainRecording.ALL, Cancellation.NEVER);
        assertArrayEquals(new int[] {1000, 723, 303, 31, 1, 0}, chain.steps());
        assertEquals(6, chain.states().length);
    }
}
