package diffusionlab.engine.sample;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.objective.Coupling;

/**
 * The deterministic samplers of a flow model: the probability-flow ODE dx/dt = v_θ(x, t) integrated from
 * x_1 ~ N(0, I) at t = 1 to t = 0 (the data) in N uniform steps t_i = 1 − i/N, h = 1/N.
 * <ul>
 * <li>Euler: x_{i+1} = x_i − h v(x_i, t_i); N network evaluations, global error O(h).</li>
 * <li>Heun (the explicit trapezoidal rule; Karras et al. 2022, Alg. 1): x̃ = x_i − h v(x_i, t_i),
 * x_{i+1} = x_i − (h/2) (v(x_i, t_i) + v(x̃, t_{i+1})), except the last step, to t = 0, which stays Euler as
 * Karras et al.'s Alg. 1 does; 2N − 1 network evaluations, global error O(h²).</li>
 * </ul>
 * State i is labelled round(t_i · {@code timeScale}): with the model's K as the scale, the labels are those of the
 * diffusion chains (K the noise, 0 the data). {@link SamplerKind#evaluations} counts the network evaluations.
 */
public final class FlowSampler {
    private FlowSampler() {
    }

    /** Euler's chain from x1 in {@code steps} steps, keeping the states {@code recording} asks for. */
    public static Chain euler(VelocityField field, float[] x1, int steps, int timeScale, ChainRecording recording,
                              Cancellation cancellation) {
        return integrate(field, x1, steps, false, timeScale, recording, cancellation);
    }

    /**
     * Reflow's training pairs (Liu et al. 2023, Alg. 1): each noise point of {@code x1} with where {@code field}'s ODE
     * carries it, by Euler ({@code heun} false) or Heun in {@code steps} steps.
     */
    public static Coupling couple(VelocityField field, float[] x1, int steps, boolean heun, int timeScale,
                                  Cancellation cancellation) {
        Chain chain = integrate(field, x1, steps, heun, timeScale, ChainRecording.LAST, cancellation);
        return new Coupling(chain.last(), x1.clone());
    }

    /** Heun's chain from x1 in {@code steps} steps, keeping the states {@code recording} asks for. */
    public static Chain heun(VelocityField field, float[] x1, int steps, int timeScale, ChainRecording recording,
                             Cancellation cancellation) {
        return integrate(field, x1, steps, true, timeScale, recording, cancellation);
    }

    private static Chain integrate(VelocityField field, float[] x1, int steps, boolean heun, int timeScale,
                                   ChainRecording recording, Cancellation cancellation) {
        int n = x1.length / 2;
        ChainRecorder chain = new ChainRecorder(recording, cancellation, steps);
        chain.record(0, timeScale, x1);
        float[] x = x1.clone();
        float[] v = new float[2 * n];
        float[] predicted = heun ? new float[2 * n] : null;
        float[] vPredicted = heun ? new float[2 * n] : null;
        for (int i = 0; i < steps; i++) {
            double t = 1 - (double) i / steps;
            double next = 1 - (double) (i + 1) / steps;
            double h = t - next;
            field.velocity(x, t, n, v);
            if (heun && i < steps - 1) {
                for (int k = 0; k < 2 * n; k++) {
                    predicted[k] = (float) (x[k] - h * v[k]);
                }
                field.velocity(predicted, next, n, vPredicted);
                for (int k = 0; k < 2 * n; k++) {
                    x[k] = (float) (x[k] - h / 2 * ((double) v[k] + vPredicted[k]));
                }
            } else {
                for (int k = 0; k < 2 * n; k++) {
                    x[k] = (float) (x[k] - h * v[k]);
                }
            }
            chain.record(i + 1, (int) Math.round(next * timeScale), x);
        }
        return chain.chain();
    }
}
