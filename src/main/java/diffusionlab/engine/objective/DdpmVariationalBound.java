package diffusionlab.engine.objective;

import diffusionlab.engine.schedule.NoiseSchedule;

/**
 * DDPM's variational bound (Ho et al. 2020, eq. 5; the notebook's loss_variational), in bits per
 * coordinate: for t > 0 the term KL(q(x_{t-1} | x_t, x_0) || p_theta(x_{t-1} | x_t)), for t = 0 the
 * decoder's -log p_theta(x_0 | x_1). The notebook's decoder is the discretised one for 8-bit images
 * in [-1, 1]; 2D points are continuous, so this uses the Gaussian density (see docs/MATH.md). The model's
 * log-variance is clamped ({@link LogVariance}).
 */
public final class DdpmVariationalBound extends DiffusionObjective {

    public DdpmVariationalBound(NoiseSchedule schedule) {
        super(schedule);
    }

    @Override
    public int outputDim() {
        return 4;
    }

    @Override
    public double lossAndGradient(Batch batch, double[] out, double[] dOut) {
        int rows = batch.rows;
        double scale = 1 / (GaussianMath.LN2 * 2 * rows); // mean over coordinates, then rows, in bits
        double loss = 0;
        for (int b = 0; b < rows; b++) {
            int t = batch.t[b];
            for (int d = 0; d < 2; d++) {
                int i = 2 * b + d;
                double m2 = out[4 * b + d];
                double rawLv2 = out[4 * b + 2 + d];
                double lv2 = LogVariance.clamp(rawLv2);
                double dClamp = LogVariance.clampDerivative(rawLv2);
                if (t == 0) {
                    double x0 = batch.x0[i];
                    loss += GaussianMath.gaussianNll(x0, m2, lv2);
                    double r = x0 - m2;
                    dOut[4 * b + d] = -r * Math.exp(-lv2) * scale;
                    dOut[4 * b + 2 + d] = 0.5 * (1 - r * r * Math.exp(-lv2)) * dClamp * scale;
                } else {
                    double m1 = Posterior.mean(schedule, batch.x0[i], batch.input[i], t);
                    double lv1 = schedule.posteriorLogVarianceClipped[t];
                    loss += GaussianMath.normalKl(m1, lv1, m2, lv2);
                    dOut[4 * b + d] = GaussianMath.normalKlDMean2(m1, m2, lv2) * scale;
                    dOut[4 * b + 2 + d] = GaussianMath.normalKlDLogVar2(m1, lv1, m2, lv2) * dClamp * scale;
                }
            }
        }
        return loss * scale;
    }
}
