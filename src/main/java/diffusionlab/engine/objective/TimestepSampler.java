package diffusionlab.engine.objective;

import diffusionlab.engine.Rng;

/**
 * The notebook's antithetic time-step sampling (from the DDIM repository): draw rows/2 + 1 steps
 * uniformly, append their mirrors T - 1 - t, keep the first {@code rows}.
 */
final class TimestepSampler {
    private TimestepSampler() {
    }

    static void antithetic(int[] t, int rows, int timesteps, Rng rng) {
        int half = rows / 2 + 1;
        for (int i = 0; i < Math.min(half, rows); i++) {
            t[i] = rng.nextInt(timesteps);
        }
        for (int i = half; i < rows; i++) {
            t[i] = timesteps - 1 - t[i - half];
        }
    }
}
