package diffusionlab.engine.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;
import org.junit.jupiter.api.Test;

class LangevinSamplerTest {

    @Test
    void langevinOnAKnownGaussianScoreReachesThatGaussiansMoments() {
        double mx = 0.5, my = -1.0, var = 0.25;
        ScoreFunction gaussian = (x, t, n, out) -> {
            for (int i = 0; i < n; i++) {
                out[2 * i] = (float) (-(x[2 * i] - mx) / var);
                out[2 * i + 1] = (float) (-(x[2 * i + 1] - my) / var);
            }
        };
        int n = 20_000;
        float[] start = new float[2 * n];
        Rng rng = new Rng(11);
        rng.fillGaussian(start, 0, start.length);
        Chain chain = LangevinSampler.sample(gaussian, start, 2000, 4e-3, 1.0, 1.0, 0, rng, ChainRecording.ALL,
                Cancellation.NEVER);
        float[] x = chain.last();
        double[] mean = new double[2];
        double[] sq = new double[2];
        for (int i = 0; i < 2 * n; i++) {
            mean[i % 2] += x[i];
            sq[i % 2] += (double) x[i] * x[i];
        }
        assertEquals(mx, mean[0] / n, 0.02);
        assertEquals(my, mean[1] / n, 0.02);
        for (int d = 0; d < 2; d++) {
            double m = mean[d] / n;
            // the unadjusted chain's stationary variance is var / (1 - eps / (4 var)), within half a percent here
            assertEquals(var, sq[d] / n - m * m, 0.015);
        }
        assertEquals(2001, chain.states().length);
    }
}
