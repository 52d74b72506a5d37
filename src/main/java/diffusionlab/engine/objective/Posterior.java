package diffusionlab.engine.objective;

import diffusionlab.engine.schedule.NoiseSchedule;

/** The forward-process posterior q(x_{t-1} | x_t, x_0) = N(mu~_t, beta~_t I) (DDPM eq. 6-7). */
public final class Posterior {
    private Posterior() {
    }

    /** mu~_t(x_t, x_0) = posteriorMeanCoef1 x_0 + posteriorMeanCoef2 x_t, one coordinate. */
    public static double mean(NoiseSchedule schedule, double x0, double xt, int t) {
        return schedule.posteriorMeanCoef1[t] * x0 + schedule.posteriorMeanCoef2[t] * xt;
    }
}
