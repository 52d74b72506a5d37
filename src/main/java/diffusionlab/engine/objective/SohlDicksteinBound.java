package diffusionlab.engine.objective;

import diffusionlab.engine.schedule.NoiseSchedule;

/**
 * Sohl-Dickstein et al. (2015)'s bound, as the notebook's compute_loss writes it, in bits:
 * -L = T KL(q(x_{t-1} | x_t, x_0) || p_theta(x_{t-1} | x_t)) + H_q(x_1 | x_0) - H_q(x_T | x_0) + H_p(x_T),
 * minus the same bound for an isotropic Gaussian model (H_p(x_T)), divided by ln 2 and averaged over
 * rows and coordinates. The model predicts the mean and the log-variance of p_theta(x_{t-1} | x_t), the latter
 * clamped ({@link LogVariance}).
 */
public final class SohlDicksteinBound extends DiffusionObjective {
    private final double entropyTerms; // (H_start - H_end + H_prior - negL_gauss) / ln 2

    public SohlDicksteinBound(NoiseSchedule schedule) {
        super(schedule);
        double hStart = GaussianMath.entropy(schedule.betas[0]);
        double hEnd = GaussianMath.entropy(schedule.oneMinusAlphasBar[schedule.timesteps - 1]);
        this.entropyTerms = (hStart - hEnd) / GaussianMath.LN2; // H_prior and negL_gauss cancel
    }

    @Override
    public int outputDim() {
        return 4;
    }

    @Override
    public double lossAndGradient(Batch batch, double[] out, double[] dOut) {
        int rows = batch.rows;
        int n = 2 * rows;
        double scale = schedule.timesteps / GaussianMath.LN2;
        double kl = 0;
        for (int b = 0; b < rows; b++) {
            int t = batch.t[b];
            double lv1 = schedule.posteriorLogVarianceClipped[t];
            for (int d = 0; d < 2; d++) {
                int i = 2 * b + d;
                double m1 = Posterior.mean(schedule, batch.x0[i], batch.input[i], t);
                double m2 = out[4 * b + d];
                double rawLv2 = out[4 * b + 2 + d];
                double lv2 = LogVariance.clamp(rawLv2);
                kl += GaussianMath.normalKl(m1, lv1, m2, lv2);
                dOut[4 * b + d] = scale * GaussianMath.normalKlDMean2(m1, m2, lv2) / n;
                dOut[4 * b + 2 + d] = scale * GaussianMath.normalKlDLogVar2(m1, lv1, m2, lv2)
                        * LogVariance.clampDerivative(rawLv2) / n;
            }
        }
        return scale * kl / n + entropyTerms;
    }
}
