package diffusionlab.engine.sample;

import diffusionlab.engine.Rng;
import diffusionlab.engine.schedule.NoiseSchedule;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * DDIM (Song, Meng & Ermon, ICLR 2021, eq. 12) over a subsequence tau of the steps, as the paper's code
 * ({@code generalized_steps}) runs it:
 * x_prev = sqrt(alphaBar_prev) x0_hat + sqrt(1 - alphaBar_prev - sigma^2) eps_theta + sigma z,
 * x0_hat = (x_t - sqrt(1 - alphaBar_t) eps_theta) / sqrt(alphaBar_t),
 * sigma = eta sqrt((1 - alphaBar_prev) / (1 - alphaBar_t)) sqrt(1 - alphaBar_t / alphaBar_prev) (eq. 16),
 * where alphaBar_prev is that of the previous element of tau, and 1 after the first (the data).
 * eta = 0 is deterministic; eta = 1 matches the ancestral chain's posterior variance.
 */
public final class DdimSampler {
    /** How tau spreads over the steps, as {@code sample_image} in the DDIM code builds it. */
    public enum Spacing {
        /** skip = T // S, tau = range(0, T, skip): every skip-th step from the first. */
        UNIFORM,
        /** tau = int(linspace(0, sqrt(0.8 T), S)^2): denser near the data, and stopping at 0.8 T. */
        QUADRATIC;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Spacing fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    private DdimSampler() {
    }

    /**
     * The increasing subsequence tau of array indices 0..T-1 (tau_i stands for the paper's step tau_i + 1),
     * as the DDIM code builds it for S steps (S capped at T). Uniform spacing gives ceil(T / (T // S)) steps,
     * which can exceed S; the quadratic one's truncation repeats small steps when S is large for T, and those
     * repeats, steps from a state to itself in the DDIM code, are dropped.
     */
    public static int[] timesteps(int T, int S, Spacing spacing) {
        int s = Math.max(1, Math.min(S, T));
        if (spacing == Spacing.UNIFORM) {
            int skip = T / s;
            return IntStream.iterate(0, t -> t < T, t -> t + skip).toArray();
        }
        double stop = Math.sqrt(T * 0.8);
        double step = s == 1 ? 0 : stop / (s - 1);
        IntStream.Builder tau = IntStream.builder();
        int previous = -1;
        for (int i = 0; i < s; i++) {
            double y = i == s - 1 && s > 1 ? stop : i * step; // numpy's linspace sets the end point exactly
            int t = (int) (y * y);
            if (t != previous) {
                tau.add(t);
                previous = t;
            }
        }
        return tau.build().toArray();
    }

    /**
     * The chain from xT, taken as the state at step tau_S + 1 (paper notation), down to x_0; {@code steps}
     * labels every state with its paper step: tau_S + 1, ..., tau_1 + 1, 0.
     */
    public static Chain sample(ModelView model, float[] xT, int S, double eta, Spacing spacing, Rng rng) {
        NoiseSchedule sch = model.schedule();
        int n = xT.length / 2;
        int[] tau = timesteps(sch.timesteps, S, spacing);
        int s = tau.length;
        float[][] states = new float[s + 1][];
        int[] steps = new int[s + 1];
        states[0] = xT.clone();
        steps[0] = tau[s - 1] + 1;
        float[] x = xT.clone();
        float[] eps = new float[2 * n];
        for (int i = s - 1; i >= 0; i--) {
            int t = tau[i];
            double abT = sch.alphasBar[t];
            double oneMinusAbT = sch.oneMinusAlphasBar[t];
            double abPrev = i > 0 ? sch.alphasBar[tau[i - 1]] : 1.0;
            double oneMinusAbPrev = i > 0 ? sch.oneMinusAlphasBar[tau[i - 1]] : 0.0;
            model.epsilon(x, t, n, eps);
            double sigma = eta * Math.sqrt(oneMinusAbPrev / oneMinusAbT) * Math.sqrt(Math.max(0, 1 - abT / abPrev));
            double dir = Math.sqrt(Math.max(0, oneMinusAbPrev - sigma * sigma));
            double sqrtAbT = Math.sqrt(abT);
            double sqrtOneMinusAbT = Math.sqrt(oneMinusAbT);
            double sqrtAbPrev = Math.sqrt(abPrev);
            for (int k = 0; k < 2 * n; k++) {
                double x0 = (x[k] - sqrtOneMinusAbT * eps[k]) / sqrtAbT;
                double next = sqrtAbPrev * x0 + dir * eps[k];
                x[k] = (float) (sigma > 0 ? next + sigma * rng.gaussian() : next);
            }
            states[s - i] = x.clone();
            steps[s - i] = i > 0 ? tau[i - 1] + 1 : 0;
        }
        return new Chain(states, steps);
    }
}
