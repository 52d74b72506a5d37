package diffusionlab.training;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.Trainer;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.nn.ParamLayout;
import diffusionlab.engine.objective.Objective;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.engine.schedule.NoiseSchedule;
import java.util.Comparator;
import java.util.List;

/**
 * What a run costs, worked out from its config alone before it is accepted: the heap it holds at its peak
 * (training and drawing its pictures) in four parts, each with the config field that sizes it, and the
 * arithmetic of a training step and of a picture refresh. {@link #sample} does the same for one on-demand
 * sample. Each count follows the arrays the code allocates (named below), so a change there belongs here too;
 * {@code RunCostTest} holds the estimates against measured heaps.
 */
public record RunCost(Part model, Part data, Part batch, Part pictures, double flopsPerStep, double flopsPerRefresh) {
    /**
     * Sustained speed of the model on one core, for turning flops into seconds (here and in the pictures'
     * {@link PictureDrawer.Plan}): a picture refresh measured 8-14 GFLOP/s for the default model and 15-45 for
     * wider ones on a busy two-core machine; taken near the low end so that an estimate errs long.
     */
    public static final double FLOPS_PER_SECOND = 1e10;
    /** Per run, whatever the config: the run's history, its newest pictures, the objects around them. */
    static final long FIXED_BYTES = 512L << 10;
    /** What the count below misses: measured under 1% for the largest config, so 5% on top. */
    static final double UNCOUNTED = 1.05;
    /**
     * Copies of the parameter vector a run holds at its peak: the trainer's weights, EMA, Adam's two moments
     * and the gradient (5); two checkpoints of four arrays (the store writes one while the next waits) and
     * one array being written as bytes (9); the
     * {@link FrozenWeights} that on-demand samples read (2); the pictures' {@code ModelView}, a copy of the
     * weights and its own workspace's gradient (2); the quality sweep's {@code ModelView} gradient (1).
     */
    static final int PARAMETER_COPIES = 19;
    /** Softplus and its derivative per hidden unit, counted as flops (an exp and a log). */
    static final int SOFTPLUS_FLOPS = 20;
    /** Adam, EMA and clipping per parameter per step. */
    static final int UPDATE_FLOPS = 16;
    private static final int FLOAT = 4;
    private static final int DOUBLE = 8;
    private static final int INFERENCE_ROWS = 512; // ModelView's chunk

    /** Heap that one config field sizes: the field to name when the whole does not fit. */
    public record Part(String what, String field, long value, long bytes) {
    }

    public List<Part> parts() {
        return List.of(model, data, batch, pictures);
    }

    /** The run's peak heap. */
    public long bytes() {
        return (long) (UNCOUNTED * (FIXED_BYTES + parts().stream().mapToLong(Part::bytes).sum()));
    }

    /** The part that holds the most heap. */
    public Part largest() {
        return parts().stream().max(Comparator.comparingLong(Part::bytes)).orElseThrow();
    }

    /** Expected seconds of one core to redraw the run's pictures (reverse chain, score field, samples). */
    public double secondsPerRefresh() {
        return flopsPerRefresh / FLOPS_PER_SECOND;
    }

    public static RunCost of(RunConfig config) {
        ExperimentConfig ex = config.experiment();
        MlpShape shape = shape(ex);
        boolean tangent = ex.objective().create(schedule(ex), ex.prediction(), ex.sigma()).needsTangent();
        long params = new ParamLayout(shape).size();
        int n = ex.trainingSize();
        int batch = ex.batchSize();
        int rows = tangent ? 2 * batch : batch;

        boolean gainsDominate = shape.conditional() && ex.timesteps() > ex.hidden();
        Part parameters = new Part("the model", gainsDominate ? "timesteps" : "hidden",
                gainsDominate ? ex.timesteps() : ex.hidden(), PARAMETER_COPIES * FLOAT * params);
        // Trainer: the training set [n, 2] and its permutation; the points dataset also keeps the user's points
        // twice (the config's and the Dataset's copy)
        boolean points = ex.dataset() == DatasetKind.POINTS;
        // a reflow's pairs: the trainer's paired noise, and the coupling it was copied from (points and noise)
        long data = (long) n * (2 * FLOAT + 4) + (points ? 2L * 2 * FLOAT * n : 0)
                + (config.reflowFrom() != null ? 3L * 2 * FLOAT * n : 0);
        Part training = new Part("the training data", points ? "points" : "datasetSize", n, data);
        // Mlp's workspace for `rows`, Trainer's Batch (5 double arrays) and its input, tangent and output buffers
        long perBatchRow = 5L * 2 * DOUBLE + 4 * FLOAT + 3L * shape.outputDim() * DOUBLE;
        Part workspace = new Part("a training batch", "batchSize", batch,
                workspaceBytes(shape, rows) + perBatchRow * rows);
        Chains chains = Chains.of(ex, config.sampling());
        int chainPoints = PictureDrawer.POINTS;
        // the chains keep only what the pictures show (the frames, the thinned trajectories' states), beside the
        // forward, reverse and held-out clouds
        long clouds = (2L * PictureDrawer.FRAMES + 2) * chainPoints * 2 * FLOAT;
        int keptStates = ex.objective().isScoreModel()
                ? Math.min(chains.longest(), PictureDrawer.PATH_STATES) // the thinned Langevin trajectories
                : PictureDrawer.FRAMES + 1;
        // and beside them, on its own thread, a quality sweep (QualitySweep) with its own model view
        long sweep = new QualitySweep(ex.objective(), config.sampling(), ex.timesteps(), shape).bytes()
                + workspaceBytes(shape, INFERENCE_ROWS);
        Part pictures = new Part("the pictures' sampling chain", chains.longestField(), chains.longest(),
                chainBytes(keptStates, chainPoints) + clouds + workspaceBytes(shape, INFERENCE_ROWS) + sweep);

        double step = rows * (3 * forwardFlops(shape)) + (double) UPDATE_FLOPS * params;
        double refresh = forwardFlops(shape) * ((double) chainPoints * (chains.reverse() + chains.sampleEvaluations())
                + (double) PictureDrawer.FRAMES * PictureDrawer.GRID * PictureDrawer.GRID);
        return new RunCost(parameters, training, workspace, pictures, step, refresh);
    }

    /**
     * One on-demand sample of {@code n} points from a run with this experiment, drawn {@code chunk} points at a
     * time (the first chunk's chain keeps the states its paths go through, at most {@link PictureDrawer#PATH_STATES}).
     */
    public record Sample(long bytes, double flops, int chainLength) {
        public double seconds() {
            return flops / FLOPS_PER_SECOND;
        }
    }

    public static Sample sample(ExperimentConfig ex, SamplingConfig sampling, int n, int chunk) {
        MlpShape shape = shape(ex);
        int length = sampling.chainSteps(ex.objective(), ex.timesteps());
        long bytes = chainBytes(Math.min(length, PictureDrawer.PATH_STATES), Math.min(n, chunk)) + 2L * n * FLOAT
                + workspaceBytes(shape, INFERENCE_ROWS) + (long) FLOAT * new ParamLayout(shape).size();
        return new Sample(bytes, forwardFlops(shape) * n * sampling.evaluations(ex.objective(), ex.timesteps()), length);
    }

    /** Flops of one row through the model: the three matrix products and the softplus of every hidden unit. */
    static double forwardFlops(MlpShape s) {
        double gemm = 2.0 * s.hidden() * (s.inputDim() + (s.layers() - 1.0) * s.hidden() + s.outputDim());
        return gemm + (double) SOFTPLUS_FLOPS * s.layers() * s.hidden();
    }

    /** A chain of {@code length} steps: length + 1 states of [points, 2]. */
    static long chainBytes(int length, int points) {
        return (length + 1L) * (2L * FLOAT * points + 16);
    }

    /** Mlp's arrays for {@code rows} (z, sigmoid and activation per layer, two gradients) besides its gradient. */
    static long workspaceBytes(MlpShape s, int rows) {
        long perRow = (long) s.inputDim() + 1 + (3L * s.layers() + 2) * s.hidden() + s.outputDim();
        long fixed = (long) s.hidden() * Math.max(s.hidden(), s.inputDim()) + 2L * s.outputDim() * s.hidden();
        return FLOAT * (perRow * rows + fixed);
    }

    private static NoiseSchedule schedule(ExperimentConfig ex) {
        return NoiseSchedule.of(ex.schedule(), ex.timesteps(), ex.betaStart(), ex.betaEnd());
    }

    private static MlpShape shape(ExperimentConfig ex) {
        Objective objective = ex.objective().create(schedule(ex), ex.prediction(), ex.sigma());
        return Trainer.modelShape(ex, objective);
    }

    /** The lengths of the pictures' two chains ({@link PictureDrawer#reverse}, {@link PictureDrawer#samples}). */
    private record Chains(int reverse, int samples, int sampleEvaluations, String reverseField, String samplesField) {
        static Chains of(ExperimentConfig ex, SamplingConfig sampling) {
            boolean score = ex.objective().isScoreModel();
            SamplerKind sampler = sampling.effectiveSampler(ex.objective());
            return new Chains(score ? sampling.sampleSteps() : ex.timesteps(),
                    sampling.chainSteps(ex.objective(), ex.timesteps()), sampling.evaluations(ex.objective(), ex.timesteps()),
                    score ? "sampleSteps" : "timesteps", field(sampler));
        }

        static String field(SamplerKind kind) {
            return kind == SamplerKind.ANCESTRAL ? "timesteps" : "sampleSteps";
        }

        int longest() {
            return Math.max(reverse, samples);
        }

        String longestField() {
            return reverse >= samples ? reverseField : samplesField;
        }
    }
}
