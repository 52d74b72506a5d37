package diffusionlab.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;
import diffusionlab.engine.objective.FlowMatching;
import org.junit.jupiter.api.Test;

/**
 * The ODE samplers on data whose optimal velocity is known: x_0 ~ N(μ, diag σ²), ε ~ N(0, I), x_t = (1 − t) x_0 + t ε
 * is Gaussian with mean (1 − t) μ and variance s_t² = (1 − t)² σ² + t², so per coordinate
 * v*(x, t) = E[ε − x_0 | x_t = x] = −μ + (t − (1 − t) σ²) / s_t² · (x − (1 − t) μ) (docs/MATH.md), and the ODE
 * carries x_1 = z to x_t = (1 − t) μ + s_t z exactly, so to x_0 = μ + σ z.
 */
class FlowSamplerTest {
    private static final double[] MU = {1.0, -0.5};
    private static final double[] SIGMA = {0.5, 0.3};

    private static double variance(int d, double t) {
        return (1 - t) * (1 - t) * SIGMA[d] * SIGMA[d] + t * t;
    }

    private static final VelocityField EXACT = (x, t, n, v) -> {
        for (int i = 0; i < 2 * n; i++) {
            int d = i % 2;
            v[i] = (float) (-MU[d] + (t - (1 - t) * SIGMA[d] * SIGMA[d]) / variance(d, t) * (x[i] - (1 - t) * MU[d]));
        }
    };

    private static Chain run(boolean heun, float[] x1, int steps) {
        return heun ? FlowSampler.heun(EXACT, x1, steps, 100, ChainRecording.LAST, Cancellation.NEVER)
                : FlowSampler.euler(EXACT, x1, steps, 100, ChainRecording.LAST, Cancellation.NEVER);
    }

    @Test
    void eulerAndHeunCarryNoiseOntoTheGaussian() {
        int n = 20_000;
        float[] x1 = new float[2 * n];
        new Rng(5).fillGaussian(x1, 0, x1.length);
        for (boolean heun : new boolean[] {false, true}) {
            float[] x = run(heun, x1, heun ? 50 : 200).last();
            for (int d = 0; d < 2; d++) {
                double mean = 0;
                double sq = 0;
                for (int i = d; i < 2 * n; i += 2) {
                    mean += x[i];
                    sq += (double) x[i] * x[i];
                }
                mean /= n;
                String what = (heun ? "heun" : "euler") + ", coordinate " + d;
                assertEquals(MU[d], mean, 0.01, what);
                assertEquals(SIGMA[d] * SIGMA[d], sq / n - mean * mean, 0.01, what);
            }
        }
    }

    /** The largest distance of a few trajectories' ends from the exact solution μ + σ z. */
    private static double error(boolean heun, int steps) {
        float[] z = {0.7f, -1.2f, -1.5f, 0.4f, 2.0f, 1.1f};
        float[] x = run(heun, z, steps).last();
        double worst = 0;
        for (int i = 0; i < z.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - (MU[i % 2] + SIGMA[i % 2] * z[i])));
        }
        return worst;
    }

    @Test
    void doublingTheStepsHalvesEulersErrorAndQuartersHeuns() {
        for (int steps : new int[] {16, 32}) {
            double euler = error(false, steps) / error(false, 2 * steps);
            double heun = error(true, steps) / error(true, 2 * steps);
            assertTrue(euler > 1.8 && euler < 2.2, "euler, " + steps + " -> " + 2 * steps + " steps: " + euler);
            assertTrue(heun > 3.6 && heun < 4.6, "heun, " + steps + " -> " + 2 * steps + " steps: " + heun);
        }
        assertTrue(error(true, 16) < error(false, 16) / 4, "heun beats euler at the same steps");
    }

    @Test
    void statesAreLabelledWithTheirTimeOnTheModelsScale() {
        Chain chain = FlowSampler.euler(EXACT, new float[2], 4, 100, ChainRecording.ALL, Cancellation.NEVER);
        assertArrayEquals(new int[] {100, 75, 50, 25, 0}, chain.steps());
    }

    @Test
    void theScoreFromTheOptimalVelocityIsTheScoreOfTheNoisedGaussian() {
        for (double t : new double[] {0.05, 0.3, 0.7, 0.99}) {
            for (double x : new double[] {-2, 0.3, 1.7}) {
                float[] v = new float[2];
                EXACT.velocity(new float[] {(float) x, (float) x}, t, 1, v);
                for (int d = 0; d < 2; d++) {
                    double exact = -(x - (1 - t) * MU[d]) / variance(d, t);
                    assertEquals(exact, FlowMatching.score((float) x, v[d], t), 1e-5 * (1 + Math.abs(exact)),
                            "t " + t + ", x " + x + ", coordinate " + d);
                }
            }
        }
    }
}
