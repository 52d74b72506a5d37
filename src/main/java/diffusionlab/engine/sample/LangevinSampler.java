package diffusionlab.engine.sample;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;

/**
 * Langevin dynamics (the notebook's sample_langevin, with Gaussian noise as its text says):
 * x_{k+1} = x_k + eps_k / 2 grad log p(x_k) + sqrt(eps_k) * temperature * z_k, eps_{k+1} = decay eps_k,
 * z_k ~ N(0, I). The score is the model's, read at diffusion step t (0 for the data's score).
 */
public final class LangevinSampler {
    private LangevinSampler() {
    }

    /** The chain from x0, keeping the states {@code recording} asks for; checks {@code cancellation} every step. */
    public static Chain sample(ScoreFunction model, float[] x0, int iterations, double stepSize, double decay,
                               double temperature, int t, Rng rng, ChainRecording recording,
                               Cancellation cancellation) {
        int n = x0.length / 2;
        ChainRecorder chain = new ChainRecorder(recording, cancellation, iterations);
        chain.record(0, 0, x0);
        float[] x = x0.clone();
        float[] score = new float[2 * n];
        double eps = stepSize;
        for (int k = 0; k < iterations; k++) {
            model.score(x, t, n, score);
            double noise = Math.sqrt(eps) * temperature;
            for (int i = 0; i < 2 * n; i++) {
                x[i] = (float) (x[i] + eps / 2 * score[i] + noise * rng.gaussian());
            }
            chain.record(k + 1, k + 1, x);
            eps *= decay;
        }
        return chain.chain();
    }
}
