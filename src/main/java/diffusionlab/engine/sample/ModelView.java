package diffusionlab.engine.sample;

import diffusionlab.engine.nn.Mlp;
import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.objective.FlowMatching;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.engine.schedule.NoiseSchedule;

/**
 * A trained model read the ways the samplers need it: the noise estimate eps_theta(x, t), the reverse
 * mean and log-variance, a flow model's velocity v_theta(x, t), and the score grad log p_t(x), whatever the model
 * was trained to output.
 * Works on any number of points in chunks through one preallocated inference workspace.
 */
public final class ModelView implements ScoreFunction, VelocityField, NoiseEstimate {
    static final int CHUNK = 512;

    private final Mlp mlp;
    private final float[] params;
    private final NoiseSchedule schedule;
    private final ObjectiveKind objective;
    private final Prediction prediction;

    public ModelView(MlpShape shape, float[] params, NoiseSchedule schedule, ObjectiveKind objective,
                     Prediction prediction) {
        this.mlp = new Mlp(shape, CHUNK, false);
        this.params = params;
        this.schedule = schedule;
        this.objective = objective;
        this.prediction = prediction;
    }

    /** A view of the same weights with its own workspace, for another thread. */
    public ModelView copy() {
        return new ModelView(mlp.shape(), params, schedule, objective, prediction);
    }

    @Override
    public NoiseSchedule schedule() {
        return schedule;
    }

    public ObjectiveKind objective() {
        return objective;
    }

    /** Whether the model predicts a mean and log-variance (vlb_sohl, ddpm_vlb) rather than a 2D field. */
    public boolean predictsMeanAndVariance() {
        return objective.predictsMeanAndVariance();
    }

    /** Whether the model is a score model of the data (dsm, ssm), unconditioned on t. */
    public boolean isScoreModel() {
        return objective.isScoreModel();
    }

    /** Whether the model is a flow model (flow_matching): a velocity on the straight path, t in [0, 1]. */
    public boolean isFlowModel() {
        return objective.isFlowModel();
    }

    /** The raw model output for n points at step t: [n, outputDim]. */
    public void output(float[] x, int t, int n, float[] out) {
        int dim = mlp.shape().outputDim();
        for (int from = 0; from < n; from += CHUNK) {
            int rows = Math.min(CHUNK, n - from);
            float[] o = mlp.forward(params, x, from, t, rows);
            System.arraycopy(o, 0, out, from * dim, rows * dim);
        }
    }

    /**
     * eps_theta(x_t, t), [n, 2], for any diffusion model: directly (epsilon), through x_t = a x_0 + s eps
     * (x0, v), or for a mean/log-variance model by inverting mu = (x_t - beta_t / s eps) / sqrt(alpha_t).
     */
    @Override
    public void epsilon(float[] x, int t, int n, float[] eps) {
        if (!objective.isDiffusionModel()) {
            throw new IllegalStateException("a " + objective.id() + " model has no noise estimate on the schedule");
        }
        double a = schedule.sqrtAlphasBar[t];
        double s = schedule.sqrtOneMinusAlphasBar[t];
        int dim = mlp.shape().outputDim();
        for (int from = 0; from < n; from += CHUNK) {
            int rows = Math.min(CHUNK, n - from);
            float[] o = mlp.forward(params, x, from, t, rows);
            for (int b = 0; b < rows; b++) {
                for (int d = 0; d < 2; d++) {
                    int i = 2 * (from + b) + d;
                    double y = o[b * dim + d];
                    eps[i] = (float) (dim == 4
                            ? (x[i] - Math.sqrt(schedule.alphas[t]) * y) * s / schedule.betas[t]
                            : prediction.epsilon(y, x[i], a, s));
                }
            }
        }
    }

    /**
     * A flow model's velocity v_theta(x, t) at time t in [0, 1], [n, 2]: its output for the time bin of t
     * ({@link FlowMatching#bin}, K = the schedule's timesteps).
     */
    @Override
    public void velocity(float[] x, double t, int n, float[] v) {
        if (!isFlowModel()) {
            throw new IllegalStateException("a " + objective.id() + " model has no velocity");
        }
        output(x, FlowMatching.bin(t, schedule.timesteps), n, v);
    }

    /**
     * The score grad log p_t(x): the model's output for a score model; -eps_theta / sqrt(1 - alphaBar_t)
     * for a diffusion model (Song et al. 2021, eq. 2 with Tweedie); for a flow model, at the middle of bin t,
     * -(x + (1 - t) v_theta) / t ({@link FlowMatching#score}).
     */
    @Override
    public void score(float[] x, int t, int n, float[] score) {
        if (isScoreModel()) {
            output(x, 0, n, score);
            return;
        }
        if (isFlowModel()) {
            double time = FlowMatching.binTime(t, schedule.timesteps);
            output(x, t, n, score);
            for (int i = 0; i < 2 * n; i++) {
                score[i] = (float) FlowMatching.score(x[i], score[i], time);
            }
            return;
        }
        epsilon(x, t, n, score);
        float inv = (float) (-1 / schedule.sqrtOneMinusAlphasBar[t]);
        for (int i = 0; i < 2 * n; i++) {
            score[i] *= inv;
        }
    }
}
