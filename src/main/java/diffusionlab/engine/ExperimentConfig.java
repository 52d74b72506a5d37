package diffusionlab.engine;

import diffusionlab.engine.data.Dataset;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.engine.schedule.ScheduleKind;

/**
 * Everything that defines one training experiment, in the notation of the notebook. {@code datasetNoise}
 * may be null (the dataset's own default); {@code points} is only used by the points dataset.
 * {@link #validate} names the first field out of range.
 */
public record ExperimentConfig(
        DatasetKind dataset, int datasetSize, Double datasetNoise, float[] points,
        ObjectiveKind objective, Prediction prediction,
        ScheduleKind schedule, int timesteps, double betaStart, double betaEnd,
        int hidden, int layers,
        long steps, int batchSize, double lr, double gradClip, double emaDecay,
        double sigma, long seed) {

    public static final int MAX_DATASET = 100_000;
    public static final int MAX_TIMESTEPS = 1000;
    public static final int MAX_HIDDEN = 512;
    public static final int MAX_LAYERS = 6;
    public static final long MAX_STEPS = 2_000_000;
    public static final int MAX_BATCH = 10_000;

    /** The app's defaults: the notebook's DDPM, with a schedule that reaches noise and a longer EMA. */
    public static ExperimentConfig defaults() {
        return new ExperimentConfig(DatasetKind.SWISS_ROLL, 10_000, null, null,
                ObjectiveKind.DDPM_SIMPLE, Prediction.EPSILON,
                ScheduleKind.SIGMOID, 100, 1e-4, 0.1,
                128, 3,
                30_000, 128, 2e-3, 1.0, 0.999,
                0.1, 1);
    }

    /**
     * The notebook's own settings for an objective: the DDPM cell (sigmoid 1e-5..1e-2, T = 100, batch 128,
     * 1000 epochs = 79,000 steps, EMA 0.9), the score-matching cell (full batch of 10,000, sigma 0.01,
     * 5,000 steps, no clipping) and the variational-bound cell (2 conditional layers, batch 128).
     */
    public static ExperimentConfig notebook(ObjectiveKind objective) {
        ExperimentConfig ddpm = new ExperimentConfig(DatasetKind.SWISS_ROLL, 10_000, 0.5, null,
                objective, Prediction.EPSILON,
                ScheduleKind.SIGMOID, 100, 1e-5, 1e-2,
                128, 3,
                79_000, 128, 1e-3, 1.0, 0.9,
                0.01, 1);
        return switch (objective) {
            case DDPM_SIMPLE -> ddpm;
            case VLB_SOHL, DDPM_VLB -> ddpm.withModel(2, 0.0);
            case DSM, SSM -> new ExperimentConfig(DatasetKind.SWISS_ROLL, 10_000, 0.5, null,
                    objective, Prediction.EPSILON, ScheduleKind.SIGMOID, 100, 1e-5, 1e-2,
                    128, 2, 5_000, 10_000, 1e-3, 0.0, 0.0, 0.01, 1);
        };
    }

    private ExperimentConfig withModel(int layers, double emaDecay) {
        return new ExperimentConfig(dataset, datasetSize, datasetNoise, points, objective, prediction, schedule,
                timesteps, betaStart, betaEnd, hidden, layers, steps, batchSize, lr, gradClip, emaDecay, sigma, seed);
    }

    /** The same experiment with another objective, prediction and depth. */
    public ExperimentConfig withObjective(ObjectiveKind kind, Prediction pred, int depth) {
        return new ExperimentConfig(dataset, datasetSize, datasetNoise, points, kind, pred, schedule,
                timesteps, betaStart, betaEnd, hidden, depth, steps, batchSize, lr, gradClip, emaDecay, sigma, seed);
    }

    /** The same experiment with another training budget. */
    public ExperimentConfig withTraining(long trainingSteps, int batch, double learningRate) {
        return new ExperimentConfig(dataset, datasetSize, datasetNoise, points, objective, prediction, schedule,
                timesteps, betaStart, betaEnd, hidden, layers, trainingSteps, batch, learningRate, gradClip, emaDecay,
                sigma, seed);
    }

    /** The noise actually used: the configured one or the dataset's default. */
    public double effectiveNoise() {
        return datasetNoise != null ? datasetNoise : dataset.defaultNoise();
    }

    /** Training-set size: the configured one, or the number of user points. */
    public int trainingSize() {
        return dataset == DatasetKind.POINTS && points != null ? points.length / 2 : datasetSize;
    }

    public Dataset createDataset() {
        return dataset == DatasetKind.POINTS
                ? Dataset.ofPoints(points, effectiveNoise())
                : Dataset.of(dataset, effectiveNoise());
    }

    /** Throws {@link InvalidConfigException} naming the first field out of its range. */
    public ExperimentConfig validate() {
        require(dataset != null, "dataset", "dataset is required");
        require(objective != null, "objective", "objective is required");
        require(schedule != null, "schedule", "schedule is required");
        require(prediction != null, "prediction", "prediction is required");
        if (dataset == DatasetKind.POINTS) {
            require(points != null, "points", "the points dataset needs points: " + Dataset.MIN_POINTS
                    + " to " + Dataset.MAX_POINTS + " (x, y) pairs");
            int m = points.length / 2;
            require(points.length % 2 == 0 && m >= Dataset.MIN_POINTS && m <= Dataset.MAX_POINTS, "points",
                    "points must hold " + Dataset.MIN_POINTS + " to " + Dataset.MAX_POINTS + " (x, y) pairs, got " + m);
            for (float v : points) {
                require(Float.isFinite(v) && Math.abs(v) <= 1e4, "points",
                        "every point coordinate must be a finite number within [-10000, 10000]");
            }
        } else {
            range("datasetSize", datasetSize, 10, MAX_DATASET);
        }
        if (datasetNoise != null) {
            range("datasetNoise", datasetNoise, 0, 2);
        }
        range("timesteps", timesteps, 2, MAX_TIMESTEPS);
        if (schedule.usesStartAndEnd()) {
            rangeOpen("betaStart", betaStart, 0, 0.5);
            rangeOpen("betaEnd", betaEnd, 0, 0.999);
            require(betaStart <= betaEnd, "betaStart", "betaStart must not exceed betaEnd (" + betaEnd + ")");
        }
        range("hidden", hidden, 4, MAX_HIDDEN);
        range("layers", layers, 1, MAX_LAYERS);
        range("steps", steps, 1, MAX_STEPS);
        range("batchSize", batchSize, 2, MAX_BATCH);
        require(batchSize <= trainingSize(), "batchSize",
                "batchSize must be between 2 and the dataset size (" + trainingSize() + ")");
        rangeOpen("lr", lr, 0, 1);
        range("gradClip", gradClip, 0, 1000);
        require(Double.isFinite(emaDecay) && emaDecay >= 0 && emaDecay < 1, "emaDecay",
                "emaDecay must be a number in [0, 1)");
        rangeOpen("sigma", sigma, 0, 10);
        range("seed", seed, 0, 1L << 53);
        return this;
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidConfigException(field, message);
        }
    }

    private static void range(String field, double v, double lo, double hi) {
        require(Double.isFinite(v) && v >= lo && v <= hi, field,
                field + " must be a number between " + fmt(lo) + " and " + fmt(hi));
    }

    private static void rangeOpen(String field, double v, double lo, double hi) {
        require(Double.isFinite(v) && v > lo && v <= hi, field,
                field + " must be a number greater than " + fmt(lo) + " and at most " + fmt(hi));
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
