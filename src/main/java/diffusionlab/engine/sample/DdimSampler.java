package diffusionlab.engine.sample;

import diffusionlab.engine.Rng;
import diffusionlab.engine.schedule.NoiseSchedule;
import java.util.Locale;

/**
 * DDIM (Song, Meng & Ermon 2020, eq. 12) over a subsequence tau of S steps:
 * x_prev = sqrt(alphaBar_prev) x0_hat + sqrt(1 - alphaBar_prev - sigma^2) eps_theta + sigma z,
 * x0_hat = (x_t - sqrt(1 - alphaBar_t) eps_theta) / sqrt(alphaBar_t),
 * sigma = eta sqrt((1 - alphaBar_prev) / (1 - alphaBar_t)) sqrt(1 - alphaBar_t / alphaBar_prev).
 * eta = 0 is deterministic; eta = 1 matches the ancestral chain's posterior variance.
 */
public final class DdimSampler {
    /** How tau spreads over 0..T-1: evenly, or quadratically (denser near the data), as in the DDIM code. */
    public enum Spacing {
        UNIFORM, QUADRATIC;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Spacing fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    private DdimSampler() {
    }

    /** The increasing sub-sequence tau_1 < ... < tau_S of time steps, ending at T - 1. */
    public static int[] timesteps(int T, int S, Spacing spacing) {
        int s = Math.max(1, Math.min(S, T));
        int[] tau = new int[s];
        for (int i = 0; i < s; i++) {
            double f = s == 1 ? 1 : (double) i / (s - 1);
            double v = spacing == Spacing.UNIFORM ? f * (T - 1) : f * f * (T - 1);
            tau[i] = (int) Math.round(v);
        }
        for (int i = 1; i < s; i++) { // keep it strictly increasing
            tau[i] = Math.max(tau[i], tau[i - 1] + 1);
        }
        for (int i = s - 1; i >= 0; i--) { // and within range
            tau[i] = Math.min(tau[i], T - 1 - (s - 1 - i));
        }
        return tau;
    }

    public static Chain sample(ModelView model, float[] xT, int S, double eta, Spacing spacing, Rng rng) {
        NoiseSchedule sch = model.schedule();
        int n = xT.length / 2;
        int[] tau = timesteps(sch.timesteps, S, spacing);
        int s = tau.length;
        float[][] states = new float[s + 1][];
        int[] steps = new int[s + 1];
        states[0] = xT.clone();
        steps[0] = sch.timesteps;
        float[] x = xT.clone();
        float[] eps = new float[2 * n];
        for (int i = s - 1; i >= 0; i--) {
            int t = tau[i];
            double abT = sch.alphasBar[t];
            double abPrev = i > 0 ? sch.alphasBar[tau[i - 1]] : 1.0;
            model.epsilon(x, t, n, eps);
            double sigma = eta * Math.sqrt((1 - abPrev) / (1 - abT)) * Math.sqrt(Math.max(0, 1 - abT / abPrev));
            double dir = Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma));
            double sqrtAbT = Math.sqrt(abT);
            double sqrtOneMinusAbT = Math.sqrt(1 - abT);
            double sqrtAbPrev = Math.sqrt(abPrev);
            for (int k = 0; k < 2 * n; k++) {
                double x0 = (x[k] - sqrtOneMinusAbT * eps[k]) / sqrtAbT;
                double next = sqrtAbPrev * x0 + dir * eps[k];
                x[k] = (float) (sigma > 0 ? next + sigma * rng.gaussian() : next);
            }
            states[s - i] = x.clone();
            steps[s - i] = i > 0 ? tau[i - 1] : 0;
        }
        return new Chain(states, steps);
    }
}
