package diffusionlab.engine;

import diffusionlab.engine.data.Dataset;
import diffusionlab.engine.nn.Adam;
import diffusionlab.engine.nn.Ema;
import diffusionlab.engine.nn.GradientClipping;
import diffusionlab.engine.nn.Mlp;
import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.objective.Batch;
import diffusionlab.engine.objective.Coupling;
import diffusionlab.engine.objective.Objective;
import diffusionlab.engine.schedule.NoiseSchedule;
import diffusionlab.engine.sample.ModelView;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

/**
 * One experiment's training state and its step: minibatches in the notebook's order (a fresh
 * permutation every epoch, the last batch of an epoch possibly smaller), the objective, backprop
 * through the fused model, gradient-norm clipping, Adam, EMA. A step whose gradient norm is not finite
 * updates nothing and is counted ({@link #skippedUpdates()}). Deterministic for a seed; nothing is
 * allocated per step. No threads: the caller drives it.
 */
public final class Trainer {
    private final ExperimentConfig config;
    private final NoiseSchedule schedule;
    private final Dataset dataset;
    private final Objective objective;
    private final Mlp mlp;
    private final float[] params;
    private final Adam adam;
    private final Ema ema;
    private final Rng noiseRng;
    private final Rng orderRng;

    private final float[] data;        // [n, 2] the training set
    private final float[] pairedNoise; // [n, 2] the noise paired with each point (reflow), or null
    private final int[] permutation;
    private int cursor;
    private final Batch batch;
    private final float[] input;      // [batch, 2] the model's input
    private final float[] tangent;    // [batch, 2] v, for sliced score matching
    private final double[] out;
    private final double[] dOut;
    private final float[] dOutF;
    private long step;
    private long skippedUpdates;
    private double lastGradNorm;

    public Trainer(ExperimentConfig config) {
        this(config, null);
    }

    /**
     * A trainer whose training set is {@code coupling}'s points, each with its paired noise (reflow: flow matching on
     * a parent flow's (noise, sample) pairs), in place of the config's data set and fresh noise; null is
     * {@link #Trainer(ExperimentConfig)}. Only flow matching trains on pairs.
     */
    public Trainer(ExperimentConfig config, Coupling coupling) {
        this.config = config.validate();
        if (coupling != null && !config.objective().isFlowModel()) {
            throw new IllegalArgumentException("only flow matching trains on (noise, sample) pairs, not "
                    + config.objective().id());
        }
        Rng root = new Rng(config.seed());
        Rng dataRng = root.split();
        Rng initRng = root.split();
        this.orderRng = root.split();
        this.noiseRng = root.split();
        this.schedule = NoiseSchedule.of(config.schedule(), config.timesteps(), config.betaStart(), config.betaEnd());
        this.dataset = config.createDataset();
        this.objective = config.objective().create(schedule, config.prediction(), config.sigma());
        MlpShape shape = modelShape(config, objective);
        this.mlp = new Mlp(shape, config.batchSize(), objective.needsTangent());
        this.params = mlp.layout().initialise(initRng);
        this.adam = new Adam(params.length, config.lr());
        this.ema = new Ema(params, config.emaDecay());
        this.data = coupling == null ? dataset.sample(config.trainingSize(), dataRng) : coupling.x0().clone();
        this.pairedNoise = coupling == null ? null : coupling.noise().clone();
        this.permutation = new int[data.length / 2];
        for (int i = 0; i < permutation.length; i++) {
            permutation[i] = i;
        }
        this.cursor = permutation.length;
        this.batch = new Batch(config.batchSize());
        int rowsOut = objective.needsTangent() ? 2 * config.batchSize() : config.batchSize();
        this.input = new float[2 * config.batchSize()];
        this.tangent = new float[2 * config.batchSize()];
        this.out = new double[rowsOut * objective.outputDim()];
        this.dOut = new double[rowsOut * objective.outputDim()];
        this.dOutF = new float[rowsOut * objective.outputDim()];
    }

    /** The model an objective trains: the conditional model for diffusion losses, the score MLP otherwise. */
    public static MlpShape modelShape(ExperimentConfig config, Objective objective) {
        return new MlpShape(2, config.hidden(), config.layers(), objective.outputDim(),
                objective.conditional() ? config.timesteps() : 0);
    }

    /** One optimisation step; returns its loss. */
    public double step() {
        nextBatch();
        objective.prepare(batch, noiseRng);
        int rows = batch.rows;
        for (int i = 0; i < 2 * rows; i++) {
            input[i] = (float) batch.input[i];
        }
        float[] o;
        int outRows;
        if (objective.needsTangent()) {
            for (int i = 0; i < 2 * rows; i++) {
                tangent[i] = (float) batch.tangent[i];
            }
            o = mlp.forwardTangent(params, input, tangent, rows);
            outRows = 2 * rows;
        } else {
            o = mlp.forward(params, input, batch.t, rows);
            outRows = rows;
        }
        int n = outRows * objective.outputDim();
        for (int i = 0; i < n; i++) {
            out[i] = o[i];
        }
        double loss = objective.lossAndGradient(batch, out, dOut);
        for (int i = 0; i < n; i++) {
            dOutF[i] = (float) dOut[i];
        }
        float[] grad = mlp.backward(params, dOutF);
        lastGradNorm = GradientClipping.clip(grad, config.gradClip());
        if (Double.isFinite(lastGradNorm)) {
            adam.update(params, grad, config.lrSchedule().factor(step + 1, config.steps()));
            ema.update(params);
        } else {
            skippedUpdates++; // a NaN or infinite gradient would poison Adam's moments and the EMA for good
        }
        step++;
        return loss;
    }

    private void nextBatch() {
        if (cursor >= permutation.length) {
            orderRng.shuffle(permutation);
            cursor = 0;
        }
        int rows = Math.min(config.batchSize(), permutation.length - cursor);
        for (int b = 0; b < rows; b++) {
            int j = permutation[cursor + b];
            batch.x0[2 * b] = data[2 * j];
            batch.x0[2 * b + 1] = data[2 * j + 1];
            if (pairedNoise != null) {
                batch.noise[2 * b] = pairedNoise[2 * j];
                batch.noise[2 * b + 1] = pairedNoise[2 * j + 1];
            }
        }
        batch.pairedNoise = pairedNoise != null;
        batch.rows = rows;
        cursor += rows;
    }

    /**
     * Trains {@code steps} more steps, calling the listener at every multiple of {@code every} steps (and after
     * the last) with the mean loss since its previous call; stops early when it returns false.
     */
    public void run(long steps, int every, ProgressListener listener) {
        run(steps, every, () -> false, step -> true, listener);
    }

    /**
     * As {@link #run(long, int, ProgressListener)}, and also calls {@code onInterrupt} with the step right after
     * any step at which {@code interrupt} is true, whatever {@code every} is (e.g. to stop or pause at once);
     * false from it stops training. {@code interrupt} is asked every step, so it must be cheap (a volatile read).
     * The listener's calls stay at the multiples of {@code every}, also across a restore.
     */
    public void run(long steps, int every, BooleanSupplier interrupt, LongPredicate onInterrupt,
                    ProgressListener listener) {
        double sum = 0;
        int count = 0;
        for (long i = 0; i < steps; i++) {
            sum += step();
            count++;
            if (step % every == 0 || i == steps - 1) {
                if (!listener.onProgress(step, sum / count)) {
                    return;
                }
                sum = 0;
                count = 0;
            }
            if (interrupt.getAsBoolean() && !onInterrupt.test(step)) {
                return;
            }
        }
    }

    public long steps() {
        return step;
    }

    /**
     * Steps whose gradient norm was NaN or infinite: each still consumed its batch and counts in
     * {@link #steps()}, but left the weights, Adam's moments and the EMA as they were.
     */
    public long skippedUpdates() {
        return skippedUpdates;
    }

    public double lastGradNorm() {
        return lastGradNorm;
    }

    public ExperimentConfig config() {
        return config;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    public Dataset dataset() {
        return dataset;
    }

    /** The training set, [n, 2] (read only). */
    public float[] trainingData() {
        return data;
    }

    /** The raw weights (live; copy them to keep). */
    public float[] rawWeights() {
        return params;
    }

    /** The EMA weights (live; copy them to keep). */
    public float[] emaWeights() {
        return ema.weights();
    }

    public Adam optimizer() {
        return adam;
    }

    public MlpShape shape() {
        return mlp.shape();
    }

    /** A sampling view of the model with a copy of the given weights. */
    public ModelView view(boolean useEma) {
        return new ModelView(mlp.shape(), (useEma ? ema.weights() : params).clone(), schedule,
                config.objective(), config.prediction());
    }

    /** Restores a checkpoint: weights, EMA, Adam's moments and the step count. */
    public void restore(float[] raw, float[] emaWeights, float[] adamM, float[] adamV, long steps) {
        System.arraycopy(raw, 0, params, 0, params.length);
        System.arraycopy(emaWeights, 0, ema.weights(), 0, params.length);
        adam.restore(adamM, adamV, steps);
        this.step = steps;
    }
}
