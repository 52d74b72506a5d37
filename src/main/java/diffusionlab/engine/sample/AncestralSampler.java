package diffusionlab.engine.sample;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;
import diffusionlab.engine.objective.LogVariance;
import diffusionlab.engine.schedule.NoiseSchedule;

/**
 * The reverse chain p_theta(x_{t-1} | x_t) from x_T ~ N(0, I) down to x_0 (the notebook's p_sample_loop).
 * For noise models (DDPM Alg. 2): x_{t-1} = (x_t - beta_t / sqrt(1 - alphaBar_t) eps_theta) / sqrt(alpha_t)
 * + sigma_t z. For mean/log-variance models: x_{t-1} = mu_theta + exp(log var_theta / 2) z, with log var_theta
 * clamped as in training ({@link LogVariance}).
 * No noise is added at the last step (t = 0), which the notebook's code forgets.
 */
public final class AncestralSampler {
    private AncestralSampler() {
    }

    /** The chain from xT, keeping the states {@code recording} asks for; checks {@code cancellation} every step. */
    public static Chain sample(ModelView model, float[] xT, VarianceType variance, Rng rng, ChainRecording recording,
                               Cancellation cancellation) {
        NoiseSchedule sch = model.schedule();
        int n = xT.length / 2;
        int T = sch.timesteps;
        ChainRecorder chain = new ChainRecorder(recording, cancellation, T);
        chain.record(0, T, xT);
        float[] x = xT.clone();
        float[] eps = new float[2 * n];
        float[] out = model.predictsMeanAndVariance() ? new float[4 * n] : null;
        for (int t = T - 1; t >= 0; t--) {
            if (out != null) {
                model.output(x, t, n, out);
                for (int b = 0; b < n; b++) {
                    for (int d = 0; d < 2; d++) {
                        double mean = out[4 * b + d];
                        double sd = Math.exp(0.5 * LogVariance.clamp(out[4 * b + 2 + d]));
                        x[2 * b + d] = (float) (t > 0 ? mean + sd * rng.gaussian() : mean);
                    }
                }
            } else {
                model.epsilon(x, t, n, eps);
                double c = sch.betas[t] / sch.sqrtOneMinusAlphasBar[t];
                double inv = 1 / Math.sqrt(sch.alphas[t]);
                double sigma = Math.sqrt(variance == VarianceType.BETA ? sch.betas[t] : sch.posteriorVariance[t]);
                for (int i = 0; i < 2 * n; i++) {
                    double mean = inv * (x[i] - c * eps[i]);
                    x[i] = (float) (t > 0 ? mean + sigma * rng.gaussian() : mean);
                }
            }
            chain.record(T - t, t, x);
        }
        return chain.chain();
    }
}
