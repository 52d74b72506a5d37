package diffusionlab.engine.sample;

import diffusionlab.engine.schedule.NoiseSchedule;

/**
 * Anything that gives a diffusion model's noise estimate ε(x_t, t) on its schedule: a trained model, or a closed
 * form in tests (for Gaussian data ε* is known exactly).
 */
public interface NoiseEstimate {
    NoiseSchedule schedule();

    /** eps[i] = ε(x, t)[i] for the n points of x ([n, 2] each), at array index t (the paper's step t + 1). */
    void epsilon(float[] x, int t, int n, float[] eps);
}
