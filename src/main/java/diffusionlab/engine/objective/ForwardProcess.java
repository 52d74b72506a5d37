package diffusionlab.engine.objective;

import diffusionlab.engine.Rng;
import diffusionlab.engine.schedule.NoiseSchedule;

/** q(x_t | x_0) = N(sqrt(alphaBar_t) x_0, (1 - alphaBar_t) I), sampled in closed form (DDPM eq. 4). */
public final class ForwardProcess {
    private ForwardProcess() {
    }

    /**
     * The path from data to noise as x_t = signal[t] x_0 + noise[t] ε for t = 0 (the data) .. T: on the diffusion
     * path signal = √ᾱ_t and noise = √(1 − ᾱ_t) (Ho et al. 2020, eq. 4); on flow matching's straight path
     * signal = 1 − t/T and noise = t/T (Lipman et al. 2023; t/T is the path's time in [0, 1]).
     */
    public record Path(float[] signal, float[] noise) {
        public static Path of(ObjectiveKind objective, NoiseSchedule schedule) {
            int T = schedule.timesteps;
            float[] signal = new float[T + 1];
            float[] noise = new float[T + 1];
            signal[0] = 1;
            for (int t = 1; t <= T; t++) {
                signal[t] = (float) (objective.isFlowModel() ? 1 - (double) t / T : schedule.sqrtAlphasBar[t - 1]);
                noise[t] = (float) (objective.isFlowModel() ? (double) t / T : schedule.sqrtOneMinusAlphasBar[t - 1]);
            }
            return new Path(signal, noise);
        }
    }

    /** batch.input = sqrt(alphaBar_t) x_0 + sqrt(1 - alphaBar_t) eps, with fresh eps in batch.noise. */
    public static void qSample(NoiseSchedule schedule, Batch batch, Rng rng) {
        for (int i = 0; i < 2 * batch.rows; i++) {
            int t = batch.t[i / 2];
            double eps = rng.gaussian();
            batch.noise[i] = eps;
            batch.input[i] = schedule.sqrtAlphasBar[t] * batch.x0[i] + schedule.sqrtOneMinusAlphasBar[t] * eps;
        }
    }

    /** x_t for every point of x0 [n, 2] at one step t (the forward frames the dashboard shows). */
    public static float[] qSample(NoiseSchedule schedule, float[] x0, int t, Rng rng) {
        float[] xt = new float[x0.length];
        double a = schedule.sqrtAlphasBar[t];
        double s = schedule.sqrtOneMinusAlphasBar[t];
        for (int i = 0; i < x0.length; i++) {
            xt[i] = (float) (a * x0[i] + s * rng.gaussian());
        }
        return xt;
    }
}
