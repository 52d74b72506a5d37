package diffusionlab.engine;

import diffusionlab.engine.data.Dataset;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.nn.LrSchedule;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.engine.schedule.NoiseSchedule;
import diffusionlab.engine.schedule.ScheduleKind;

/**
 * Everything that defines one training experiment, in the notation of the notebook. {@code datasetNoise}
 * may be null (the dataset's own default); {@code points} is only used by the points dataset. Build one
 * with {@link #builder()} or {@link #toBuilder()}.
 */
public record ExperimentConfig(
        DatasetKind dataset, int datasetSize, Double datasetNoise, float[] points,
        ObjectiveKind objective, Prediction prediction,
        ScheduleKind schedule, int timesteps, double betaStart, double betaEnd,
        int hidden, int layers,
        long steps, int batchSize, double lr, LrSchedule lrSchedule, double gradClip, double emaDecay,
        double sigma, long seed) {

    /** The app's defaults: the notebook's DDPM, with a schedule that reaches noise and a longer EMA. */
    public static ExperimentConfig defaults() {
        return builder().build();
    }

    /**
     * The notebook's own settings for an objective: the DDPM cell (sigmoid 1e-5..1e-2, T = 100, batch 128,
     * 1000 epochs of 79 batches = 79,000 steps, EMA 0.9), the score-matching cell (full batch of 10,000,
     * sigma 0.01, 5,000 steps, no clipping) and the variational-bound cell (2 conditional layers, batch 128,
     * 5,001 epochs = 395,079 steps).
     */
    public static ExperimentConfig notebook(ObjectiveKind objective) {
        Builder ddpm = builder().datasetNoise(0.5).objective(objective)
                .betaStart(1e-5).betaEnd(1e-2)
                .steps(79_000).lr(1e-3).emaDecay(0.9)
                .sigma(0.01);
        return switch (objective) {
            case DDPM_SIMPLE -> ddpm.build();
            case FLOW_MATCHING -> ddpm.build(); // the notebook has no flow cell: its DDPM cell's settings
            case VLB_SOHL, DDPM_VLB -> ddpm.layers(2).steps(395_079).emaDecay(0.0).build();
            case DSM, SSM -> ddpm.layers(2).steps(5_000).batchSize(10_000).gradClip(0.0).emaDecay(0.0).build();
        };
    }

    /** A builder holding the app's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this experiment, to change some of its fields. */
    public Builder toBuilder() {
        return new Builder(this);
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

    /**
     * Checks what the engine needs to train at all (a model and a chain of at least one unit and two steps, a batch
     * of two) and the rules that tie fields together (the kinds are set, the user's points are usable,
     * beta_1 <= beta_T, a batch fits in the data), and throws {@link InvalidConfigException} naming the field. The
     * ranges a user may choose are narrower and are the caller's to check.
     */
    public ExperimentConfig validate() {
        require(hidden >= 1 && layers >= 1, hidden < 1 ? "hidden" : "layers", "the model needs at least one unit and layer");
        require(timesteps >= 2, "timesteps", "timesteps must be at least 2");
        require(batchSize >= 2, "batchSize", "batchSize must be at least 2");
        require(steps >= 0, "steps", "steps must not be negative");
        require(dataset != null, "dataset", "dataset is required");
        require(lrSchedule != null, "lrSchedule", "lrSchedule is required");
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
        }
        if (schedule.usesStartAndEnd()) {
            require(betaStart <= betaEnd, "betaStart", "betaStart must not exceed betaEnd (" + betaEnd + ")");
            NoiseSchedule.validate(schedule, timesteps, betaStart, betaEnd);
        }
        require(batchSize <= trainingSize(), "batchSize",
                "batchSize must be between 2 and the dataset size (" + trainingSize() + ")");
        return this;
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidConfigException(field, message);
        }
    }

    /** Sets fields by name; unset ones keep the app's defaults (or the experiment it started from). */
    public static final class Builder {
        private DatasetKind dataset = DatasetKind.SWISS_ROLL;
        private int datasetSize = 10_000;
        private Double datasetNoise;
        private float[] points;
        private ObjectiveKind objective = ObjectiveKind.DDPM_SIMPLE;
        private Prediction prediction = Prediction.EPSILON;
        private ScheduleKind schedule = ScheduleKind.SIGMOID;
        private int timesteps = 100;
        private double betaStart = 1e-4;
        private double betaEnd = 0.1;
        private int hidden = 128;
        private int layers = 3;
        private long steps = 30_000;
        private int batchSize = 128;
        private double lr = 2e-3;
        private LrSchedule lrSchedule = LrSchedule.CONSTANT;
        private double gradClip = 1.0;
        private double emaDecay = 0.999;
        private double sigma = 0.1;
        private long seed = 1;

        private Builder() {
        }

        private Builder(ExperimentConfig c) {
            dataset = c.dataset;
            datasetSize = c.datasetSize;
            datasetNoise = c.datasetNoise;
            points = c.points;
            objective = c.objective;
            prediction = c.prediction;
            schedule = c.schedule;
            timesteps = c.timesteps;
            betaStart = c.betaStart;
            betaEnd = c.betaEnd;
            hidden = c.hidden;
            layers = c.layers;
            steps = c.steps;
            batchSize = c.batchSize;
            lr = c.lr;
            lrSchedule = c.lrSchedule;
            gradClip = c.gradClip;
            emaDecay = c.emaDecay;
            sigma = c.sigma;
            seed = c.seed;
        }

        public Builder dataset(DatasetKind v) {
            dataset = v;
            return this;
        }

        public Builder datasetSize(int v) {
            datasetSize = v;
            return this;
        }

        /** Null: the dataset's own noise. */
        public Builder datasetNoise(Double v) {
            datasetNoise = v;
            return this;
        }

        public Builder points(float[] v) {
            points = v;
            return this;
        }

        public Builder objective(ObjectiveKind v) {
            objective = v;
            return this;
        }

        public Builder prediction(Prediction v) {
            prediction = v;
            return this;
        }

        public Builder schedule(ScheduleKind v) {
            schedule = v;
            return this;
        }

        public Builder timesteps(int v) {
            timesteps = v;
            return this;
        }

        public Builder betaStart(double v) {
            betaStart = v;
            return this;
        }

        public Builder betaEnd(double v) {
            betaEnd = v;
            return this;
        }

        public Builder hidden(int v) {
            hidden = v;
            return this;
        }

        public Builder layers(int v) {
            layers = v;
            return this;
        }

        public Builder steps(long v) {
            steps = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder lr(double v) {
            lr = v;
            return this;
        }

        public Builder lrSchedule(LrSchedule v) {
            lrSchedule = v;
            return this;
        }

        public Builder gradClip(double v) {
            gradClip = v;
            return this;
        }

        public Builder emaDecay(double v) {
            emaDecay = v;
            return this;
        }

        public Builder sigma(double v) {
            sigma = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public ExperimentConfig build() {
            return new ExperimentConfig(dataset, datasetSize, datasetNoise, points, objective, prediction, schedule,
                    timesteps, betaStart, betaEnd, hidden, layers, steps, batchSize, lr, lrSchedule, gradClip, emaDecay, sigma,
                    seed);
        }
    }
}
