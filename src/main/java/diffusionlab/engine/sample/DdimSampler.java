package diffusionlab.engine.sample;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;
import diffusionlab.engine.schedule.NoiseSchedule;
import java.util.Locale;

/**
 * DDIM (Song, Meng & Ermon, ICLR 2021, eq. 12) over a subsequence tau of the steps, each step as the paper's code
 * ({@code generalized_steps}) takes it:
 * x_prev = sqrt(alphaBar_prev) x0_hat + sqrt(1 - alphaBar_prev - sigma^2) eps_theta + sigma z,
 * x0_hat = (x_t - sqrt(1 - alphaBar_t) eps_theta) / sqrt(alphaBar_t),
 * sigma = eta sqrt((1 - alphaBar_prev) / (1 - alphaBar_t)) sqrt(1 - alphaBar_t / alphaBar_prev) (eq. 16),
 * where alphaBar_prev is that of the previous element of tau, and 1 after the first (the data).
 * eta = 0 is deterministic; eta = 1 matches the ancestral chain's posterior variance.
 */
public final class DdimSampler {
    /**
     * How tau spreads over the steps. The DDIM code builds tau for T = 1000 as range(0, T, T // S) or
     * int(linspace(0, sqrt(0.8 T), S)^2); both stop short of the last step (at T − T // S and 0.8 T), so its chain
     * starts from N(0, I) at a step that still holds signal, and uniform spacing can take more than S steps. Here
     * tau always has S elements and always ends at the last step (x_T is the chain's start, as for the ancestral
     * sampler: the "trailing" spacing of Lin et al. 2024, "Common diffusion noise schedules and sample steps are
     * flawed", Table 2).
     */
    public enum Spacing {
        /** tau_i = round((i / (S − 1)) (T − 1)): evenly spaced over every step. */
        UNIFORM,
        /** tau_i = round((i / (S − 1))² (T − 1)): denser near the data. */
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
     * The increasing subsequence tau_1 < ... < tau_S of array indices 0..T−1 (tau_i stands for the paper's step
     * tau_i + 1), ending at T − 1; S is capped at T.
     */
    public static int[] timesteps(int T, int S, Spacing spacing) {
        int s = Math.max(1, Math.min(S, T));
        int[] tau = new int[s];
        for (int i = 0; i < s; i++) {
            double f = s == 1 ? 1 : (double) i / (s - 1);
            tau[i] = (int) Math.round((spacing == Spacing.UNIFORM ? f : f * f) * (T - 1));
        }
        for (int i = 1; i < s; i++) { // the quadratic rounding repeats small steps when S is large for T
            tau[i] = Math.max(tau[i], tau[i - 1] + 1);
        }
        for (int i = s - 1; i >= 0; i--) { // and pushing them up must not run past the last step
            tau[i] = Math.min(tau[i], T - 1 - (s - 1 - i));
        }
        return tau;
    }

    /**
     * The chain from x_T (step tau_S + 1 = T) down to x_0; {@code steps} labels every state with its paper step:
     * T, tau_{S−1} + 1, ..., tau_1 + 1, 0. Keeps the states {@code recording} asks for; checks {@code cancellation}
     * every step.
     */
    public static Chain sample(NoiseEstimate model, float[] xT, int S, double eta, Spacing spacing, Rng rng,
                               ChainRecording recording, Cancellation cancellation) {
        NoiseSchedule sch = model.schedule();
        int n = xT.length / 2;
        int[] tau = timesteps(sch.timesteps, S, spacing);
        int s = tau.length;
        ChainRecorder chain = new ChainRecorder(recording, cancellation, s);
        chain.record(0, tau[s - 1] + 1, xT);
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
            chain.record(s - i, i > 0 ? tau[i - 1] + 1 : 0, x);
        }
        return chain.chain();
    }
}
