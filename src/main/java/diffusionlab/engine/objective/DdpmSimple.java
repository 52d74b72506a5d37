package diffusionlab.engine.objective;

import diffusionlab.engine.schedule.NoiseSchedule;

/**
 * DDPM's simple loss (Ho et al. 2020, eq. 14; the notebook's noise_estimation_loss):
 * L = mean || y - y_theta(sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps, t) ||^2 over rows and both
 * coordinates, where the target y is eps, x_0 or v by {@link Prediction}.
 */
public final class DdpmSimple extends DiffusionObjective {
    private final Prediction prediction;

    public DdpmSimple(NoiseSchedule schedule, Prediction prediction) {
        super(schedule);
        this.prediction = prediction;
    }

    @Override
    public int outputDim() {
        return 2;
    }

    @Override
    public double lossAndGradient(Batch batch, double[] out, double[] dOut) {
        int n = 2 * batch.rows;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int t = batch.t[i / 2];
            double y = prediction.target(batch.x0[i], batch.noise[i], schedule.sqrtAlphasBar[t],
                    schedule.sqrtOneMinusAlphasBar[t]);
            double r = out[i] - y;
            loss += r * r;
            dOut[i] = 2 * r / n;
        }
        return loss / n;
    }
}
