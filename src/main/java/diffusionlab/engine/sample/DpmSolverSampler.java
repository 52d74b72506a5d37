package diffusionlab.engine.sample;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.schedule.NoiseSchedule;

/**
 * DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++: Fast Solver for Guided Sampling of Diffusion Probabilistic
 * Models", Algorithm 2): a second-order multistep solver of the diffusion models' probability-flow ODE, written for
 * the data prediction x̂₀ = (x_t − σ_t ε_θ) / α_t with α_t = √ᾱ_t, σ_t = √(1 − ᾱ_t), λ_t = log(α_t / σ_t). Over a
 * subsequence τ evenly spaced in λ ({@link #timesteps}: the multistep formula extrapolates x̂₀ linearly in λ, which a
 * grid even in t defeats, its last steps being many times longer in λ than the ones before), from s = τ_i to
 * t = τ_{i−1}, h = λ_t − λ_s:
 * <pre>
 *   x_t = (σ_t / σ_s) x_s − α_t (e^{−h} − 1) D,
 *   D = (1 + 1/(2r)) x̂₀(s) − (1/(2r)) x̂₀(s′),  r = h′ / h  (s′ the step before s, h′ its λ step),
 * </pre>
 * and D = x̂₀(s) at the first step, where there is no s′: that step is DDIM's with η = 0, which is DPM-Solver++'s
 * first order. The last step goes to the data (σ = 0, λ = ∞) and is x₀ = x̂₀(τ₁), as DDIM's last step and
 * k-diffusion's {@code sample_dpmpp_2m} take it. One network evaluation per step, S in all, as DDIM; the global error
 * falls as h² (DDIM: h).
 */
public final class DpmSolverSampler {
    private DpmSolverSampler() {
    }

    /**
     * The chain from x_T (paper step τ_S + 1 = T) down to x_0 over the S steps of {@link #timesteps}; states labelled
     * as DDIM's (T, τ_{S−1} + 1, …, τ_1 + 1, 0). Keeps the states {@code recording} asks for; checks
     * {@code cancellation} every step.
     */
    public static Chain sample(NoiseEstimate model, float[] xT, int S, ChainRecording recording,
                               Cancellation cancellation) {
        NoiseSchedule sch = model.schedule();
        int n = xT.length / 2;
        int[] tau = timesteps(sch, S);
        int s = tau.length;
        ChainRecorder chain = new ChainRecorder(recording, cancellation, s);
        chain.record(0, tau[s - 1] + 1, xT);
        float[] x = xT.clone();
        float[] eps = new float[2 * n];
        double[] x0 = new double[2 * n];
        double[] previousX0 = new double[2 * n];
        double previousH = Double.NaN; // the λ step that led to the current state; NaN before the first step
        for (int i = s - 1; i >= 0; i--) {
            int from = tau[i];
            double alphaS = sch.sqrtAlphasBar[from];
            double sigmaS = sch.sqrtOneMinusAlphasBar[from];
            model.epsilon(x, from, n, eps);
            for (int k = 0; k < 2 * n; k++) {
                x0[k] = (x[k] - sigmaS * eps[k]) / alphaS;
            }
            if (i == 0) { // to the data: σ = 0
                for (int k = 0; k < 2 * n; k++) {
                    x[k] = (float) x0[k];
                }
            } else {
                int to = tau[i - 1];
                double alphaT = sch.sqrtAlphasBar[to];
                double sigmaT = sch.sqrtOneMinusAlphasBar[to];
                double h = lambda(alphaT, sigmaT) - lambda(alphaS, sigmaS);
                double decay = sigmaT / sigmaS;
                double gain = -alphaT * Math.expm1(-h); // −α_t (e^{−h} − 1)
                boolean secondOrder = !Double.isNaN(previousH);
                double c = secondOrder ? h / (2 * previousH) : 0; // 1/(2r)
                for (int k = 0; k < 2 * n; k++) {
                    double d = secondOrder ? (1 + c) * x0[k] - c * previousX0[k] : x0[k];
                    x[k] = (float) (decay * x[k] + gain * d);
                }
                previousH = h;
                double[] swap = previousX0;
                previousX0 = x0;
                x0 = swap;
            }
            chain.record(s - i, i > 0 ? tau[i - 1] + 1 : 0, x);
        }
        return chain.chain();
    }

    /**
     * The increasing subsequence τ_1 < … < τ_S of array indices 0 … T − 1, ending at T − 1 and (for S ≥ 2) starting
     * at 0, whose λ are the nearest to S values evenly spaced from λ(0) to λ(T − 1) (repeats pushed up by one, as
     * DDIM's); S is capped at T.
     */
    public static int[] timesteps(NoiseSchedule sch, int S) {
        int T = sch.timesteps;
        int s = Math.max(1, Math.min(S, T));
        double[] lambda = new double[T];
        for (int k = 0; k < T; k++) {
            lambda[k] = lambda(sch.sqrtAlphasBar[k], sch.sqrtOneMinusAlphasBar[k]);
        }
        int[] tau = new int[s];
        for (int i = 0; i < s; i++) {
            double target = s == 1 ? lambda[T - 1] : lambda[0] + (double) i / (s - 1) * (lambda[T - 1] - lambda[0]);
            int nearest = 0;
            for (int k = 1; k < T; k++) {
                if (Math.abs(lambda[k] - target) < Math.abs(lambda[nearest] - target)) {
                    nearest = k;
                }
            }
            tau[i] = nearest;
        }
        for (int i = 1; i < s; i++) {
            tau[i] = Math.max(tau[i], tau[i - 1] + 1);
        }
        for (int i = s - 1; i >= 0; i--) {
            tau[i] = Math.min(tau[i], T - 1 - (s - 1 - i));
        }
        return tau;
    }

    /** λ = log(α / σ), the half log signal-to-noise ratio. */
    static double lambda(double alpha, double sigma) {
        return Math.log(alpha) - Math.log(sigma);
    }
}
