package diffusionlab.engine.sample;

import diffusionlab.engine.Rng;

/**
 * Langevin dynamics (the notebook's sample_langevin, with Gaussian noise as its text says):
 * x_{k+1} = x_k + eps_k / 2 grad log p(x_k) + sqrt(eps_k) * temperature * z_k, eps_{k+1} = decay eps_k,
 * z_k ~ N(0, I). The score is the model's, read at diffusion step t (0 for the data's score).
 */
public final class LangevinSampler {
    private LangevinSampler() {
    }

    public static Chain sample(ScoreFunction model, float[] x0, int iterations, double stepSize, double decay,
                               double temperature, int t, Rng rng) {
        int n = x0.length / 2;
        float[][] states = new float[iterations + 1][];
        int[] steps = new int[iterations + 1];
        states[0] = x0.clone();
        float[] x = x0.clone();
        float[] score = new float[2 * n];
        double eps = stepSize;
        for (int k = 0; k < iterations; k++) {
            model.score(x, t, n, score);
            double noise = Math.sqrt(eps) * temperature;
            for (int i = 0; i < 2 * n; i++) {
                x[i] = (float) (x[i] + eps / 2 * score[i] + noise * rng.gaussian());
            }
            states[k + 1] = x.clone();
            steps[k + 1] = k + 1;
            eps *= decay;
        }
        return new Chain(states, steps);
    }
}
