package diffusionlab.engine.objective;

/**
 * The log-variance log sigma^2_theta(x_t, t) that the bound models (vlb_sohl, ddpm_vlb) output beside their mean,
 * clamped to [MIN, MAX] wherever it is read: in both losses and in the ancestral sampler. As torch.clamp, the
 * clamp passes the gradient inside the range and none outside it.
 * <ul>
 * <li>MIN = -20 lies below log beta~_t of every schedule {@link diffusionlab.engine.schedule.NoiseSchedule}
 * accepts (beta~_t >= beta_1 / 2 > 2^-26, log 2^-26 = -18.0), so it never cuts off a KL term's optimum
 * log(beta~_t + |mu~_t - mu_theta|^2). It bounds the decoder's Gaussian NLL below (it falls without limit as
 * the variance shrinks around an exact mean) and keeps exp(-log sigma^2) finite.</li>
 * <li>MAX = 2 (sigma = e = 2.7) lies above log beta_t, log beta~_t < 0 (every variance of the forward process
 * is below 1); it binds only for a mean off by more than sqrt(e^2 - 1) = 2.5, wider than the data, and keeps
 * one reverse step from throwing a point off by exp(huge / 2).</li>
 * </ul>
 */
public final class LogVariance {
    public static final double MIN = -20;
    public static final double MAX = 2;

    private LogVariance() {
    }

    /** The model's raw output clamped to [MIN, MAX]. */
    public static double clamp(double raw) {
        return Math.min(MAX, Math.max(MIN, raw));
    }

    /** d clamp / d raw: 1 inside [MIN, MAX], 0 outside. */
    public static double clampDerivative(double raw) {
        return raw >= MIN && raw <= MAX ? 1 : 0;
    }
}
