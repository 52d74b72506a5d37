package diffusionlab.engine.objective;

import diffusionlab.engine.Rng;

/**
 * Conditional flow matching on the straight path (Lipman et al. 2023, eq. 23 with σ_min = 0; Liu et al. 2023,
 * rectified flow, eq. 1): x_t = (1 − t) x_0 + t ε, t ∈ [0, 1] (t = 0 the data, t = 1 the noise, the app's
 * direction), whose velocity dx_t/dt = ε − x_0 the model regresses:
 * L = mean ‖v_θ(x_t, t) − (ε − x_0)‖² over rows and both coordinates.
 * <p>
 * The model is the notebook's ConditionalLinear network, which conditions on an integer: t is drawn uniformly in
 * bin k of K = {@code timesteps} equal bins, t = (k + u) / K with u ~ U(0, 1) and k drawn as the diffusion
 * objectives draw their steps (antithetically), and the model sees k ({@link #bin}).
 * <p>
 * With a {@link Coupling} (reflow) each x_0 comes with its own ε, the noise the parent flow carried onto it, instead
 * of a fresh draw.
 */
public final class FlowMatching implements Objective {
    private final int bins;

    /** @param bins K, the number of time bins (the run's {@code timesteps}) */
    public FlowMatching(int bins) {
        this.bins = bins;
    }

    /** The bin k = min(⌊t K⌋, K − 1) the model is conditioned on at time t ∈ [0, 1]. */
    public static int bin(double t, int bins) {
        return Math.max(0, Math.min((int) (t * bins), bins - 1));
    }

    /** The middle of bin k, t_k = (k + ½) / K: the time a model conditioned on k stands for. */
    public static double binTime(int k, int bins) {
        return (k + 0.5) / bins;
    }

    /**
     * The score of p_t implied by a velocity v at (x, t): x_t | x_0 ~ N((1 − t) x_0, t² I), so (Tweedie)
     * ∇ log p_t(x) = −E[ε | x_t = x] / t, and ε = x_t + (1 − t) v on the path, so s = −(x + (1 − t) v) / t.
     */
    public static double score(double x, double v, double t) {
        return -(x + (1 - t) * v) / t;
    }

    /** x_t = (1 − t) x_0 + t ε for every point of x0 [n, 2] at one time t (the forward frames). */
    public static float[] interpolate(float[] x0, double t, Rng rng) {
        float[] xt = new float[x0.length];
        for (int i = 0; i < x0.length; i++) {
            xt[i] = (float) ((1 - t) * x0[i] + t * rng.gaussian());
        }
        return xt;
    }

    @Override
    public int outputDim() {
        return 2;
    }

    @Override
    public boolean conditional() {
        return true;
    }

    @Override
    public void prepare(Batch batch, Rng rng) {
        TimestepSampler.antithetic(batch.t, batch.rows, bins, rng);
        for (int b = 0; b < batch.rows; b++) {
            double t = (batch.t[b] + rng.uniform()) / bins;
            for (int d = 2 * b; d < 2 * b + 2; d++) {
                double eps = batch.pairedNoise ? batch.noise[d] : rng.gaussian(); // reflow: the pair's own noise
                batch.noise[d] = eps;
                batch.input[d] = (1 - t) * batch.x0[d] + t * eps;
            }
        }
    }

    @Override
    public double lossAndGradient(Batch batch, double[] out, double[] dOut) {
        int n = 2 * batch.rows;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double r = out[i] - (batch.noise[i] - batch.x0[i]);
            loss += r * r;
            dOut[i] = 2 * r / n;
        }
        return loss / n;
    }
}
