package diffusionlab.training;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.Rng;
import diffusionlab.engine.metric.SlicedWasserstein;
import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.objective.FlowMatching;
import diffusionlab.engine.objective.ForwardProcess;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.sample.AncestralSampler;
import diffusionlab.engine.sample.Chain;
import diffusionlab.engine.sample.ChainRecording;
import diffusionlab.engine.sample.DdimSampler;
import diffusionlab.engine.sample.FlowSampler;
import diffusionlab.engine.sample.LangevinSampler;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.engine.sample.ScoreField;
import diffusionlab.engine.schedule.NoiseSchedule;
import java.util.Arrays;
import java.util.List;

/**
 * Draws a run's {@link PictureKind pictures} from a frozen copy of the weights: the forward frames q(x_t), the
 * reverse chain and its motion, the score field at the same time steps over the plotted square, samples, and the quality metric. Each refresh keeps to
 * a {@link Plan budget} (about half a second of one core whatever the model), and every chain checks its
 * {@link Cancellation} at each step. Pure functions of their inputs; the worker decides when and on which thread.
 */
public final class PictureDrawer {
    public static final int POINTS = 2000;
    public static final int FRAMES = 10;
    public static final int GRID = 21;
    public static final int TRAJECTORIES = 16;
    public static final int PATH_STATES = 101;
    /** Particles of the reverse chain's motion, and at most how many of its states: about 80 KB on the wire. */
    public static final int MOTION_POINTS = 300;
    public static final int MOTION_STATES = 101;
    /** How far from 0 the pictures reach at least: 3.2 standard deviations of N(0, I). */
    static final double NOISE_REACH = 3.2;

    private final ObjectiveKind objective;
    private final SamplingConfig sampling;
    private final NoiseSchedule schedule;
    private final Plan plan;
    private final int[] ts;
    private final double gridMin;
    private final double gridMax;

    public PictureDrawer(ObjectiveKind objective, SamplingConfig sampling, NoiseSchedule schedule, MlpShape shape,
                         float[] data) {
        this.objective = objective;
        this.sampling = sampling;
        this.schedule = schedule;
        this.plan = Plan.of(shape, objective, schedule.timesteps, sampling);
        this.ts = frameSteps(schedule.timesteps);
        this.gridMax = plotReach(data);
        this.gridMin = -gridMax;
    }

    /**
     * Half the side of the square the pictures are plotted in, centred on 0 (static/js/point-cloud.js's
     * {@code noiseBox}): the data's box with a 15% margin, and N(0, I) out to 3.2 standard deviations.
     */
    static double plotReach(float[] data) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < data.length; i++) {
            if (Float.isFinite(data[i])) {
                lo[i & 1] = Math.min(lo[i & 1], data[i]);
                hi[i & 1] = Math.max(hi[i & 1], data[i]);
            }
        }
        if (lo[0] > hi[0] || lo[1] > hi[1]) {
            return NOISE_REACH;
        }
        double half = Math.max(1.15 * Math.max(hi[0] - lo[0], hi[1] - lo[1]) / 2, 1e-3);
        double reach = Math.max(Math.abs(lo[0] + hi[0]) / 2, Math.abs(lo[1] + hi[1]) / 2) + half;
        return Math.max(reach, NOISE_REACH);
    }

    /**
     * How much of a refresh a model can afford. A refresh costs about (reverse chain steps + sampler chain steps)
     * x points + field frames x grid² passes of one point through the model ({@link RunCost#forwardFlops}); within
     * {@link #BUDGET_SECONDS} it draws {@link #POINTS} points, else fewer (down to
     * {@link #MIN_POINTS}), then shorter chains (the first iterations of Langevin; DDIM in place of a longer
     * ancestral chain; fewer ODE steps), and a coarser field (down to {@link #MIN_GRID}²). The sampler's chain counts
     * its network evaluations (Heun's 2N − 1).
     *
     * @param points     points of the reverse chain and of the samples
     * @param chainSteps the longest chain a picture may run
     * @param grid       the score field's grid size
     */
    public record Plan(int points, int chainSteps, int grid) {
        /**
         * What one refresh may take, at {@link RunCost#FLOPS_PER_SECOND}: enough for the default preset's 2,000
         * points through both 100-step chains (~3 s by that estimate, 1-2 s measured); at most
         * {@code MAX_CONCURRENT_RUNS} runs train, and so draw, at once per process.
         */
        public static final double BUDGET_SECONDS = 3.0;
        /** Sparser clouds before shorter chains: a cut Langevin chain shows samples that have not arrived. */
        public static final int MIN_POINTS = 100;
        public static final int MIN_GRID = 9;

        static Plan of(MlpShape shape, ObjectiveKind objective, int timesteps, SamplingConfig sampling) {
            boolean scoreModel = objective.isScoreModel();
            double passes = BUDGET_SECONDS * RunCost.FLOPS_PER_SECOND / RunCost.forwardFlops(shape);
            int fieldFrames = scoreModel ? 1 : FRAMES;
            int grid = GRID;
            while (grid > MIN_GRID && fieldFrames * grid * grid > passes / 10) {
                grid -= 2;
            }
            double chainPasses = Math.max(0, passes - fieldFrames * grid * grid);
            int reverseSteps = scoreModel ? sampling.sampleSteps() : timesteps;
            int sampleSteps = sampling.evaluations(objective, timesteps);
            int longest = Math.max(reverseSteps, sampleSteps);
            int points = (int) Math.max(MIN_POINTS, Math.min(POINTS, chainPasses / (reverseSteps + sampleSteps)));
            int chainSteps = (int) Math.max(1, Math.min(longest, chainPasses / (2.0 * points)));
            return new Plan(points, chainSteps, grid);
        }

        /**
         * The run's sampling with its chain no longer than {@link #chainSteps} network evaluations; DDIM for a longer
         * ancestral one.
         */
        SamplingConfig bound(SamplingConfig s, ObjectiveKind objective, int timesteps) {
            return switch (s.effectiveSampler(objective)) {
                case ANCESTRAL -> timesteps <= chainSteps ? s : ddim(s);
                case DDIM, DPM_SOLVER_2M, LANGEVIN, EULER -> s.sampleSteps() <= chainSteps ? s
                        : s.toBuilder().sampleSteps(chainSteps).build();
                case HEUN -> 2 * s.sampleSteps() - 1 <= chainSteps ? s
                        : s.toBuilder().sampleSteps((chainSteps + 1) / 2).build();
            };
        }

        /** DDIM over {@link #chainSteps} steps with eta = 1, the nearest to the ancestral chain. */
        SamplingConfig ddim(SamplingConfig s) {
            return s.toBuilder().sampler(SamplerKind.DDIM).sampleSteps(chainSteps).eta(1).build();
        }
    }

    /** Points of the pictures {@link #beforeTraining} draws. */
    public static final int PREVIEW_POINTS = 1000;

    /**
     * What a config's pictures show before any training, for they need no model: its data, and for a diffusion
     * or flow model the forward process q(x_t) at the frame steps. The lesson shows them before a run of the
     * section's preset exists. {@value #PREVIEW_POINTS} points, the same for every call with the same config.
     */
    public static List<RunEvent.Picture> beforeTraining(ExperimentConfig e) {
        Rng rng = new Rng(e.seed());
        float[] data = e.createDataset().sample(PREVIEW_POINTS, rng.split());
        if (e.objective().isScoreModel()) {
            return List.of(new RunEvent.Data(data));
        }
        NoiseSchedule schedule = NoiseSchedule.of(e.schedule(), e.timesteps(), e.betaStart(), e.betaEnd());
        return List.of(new RunEvent.Data(data), forward(e.objective(), schedule, data, rng.split()));
    }

    /** The training sample the pictures are drawn over: its first {@link #POINTS} points. */
    public static RunEvent.Data data(float[] trainingData) {
        return new RunEvent.Data(Arrays.copyOf(trainingData, 2 * Math.min(POINTS, trainingData.length / 2)));
    }

    /** The 10 time steps in paper notation, 0 (data) .. T (noise), evenly spaced. */
    public static int[] frameSteps(int T) {
        int[] ts = new int[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            ts[i] = (int) Math.round((double) i * T / (FRAMES - 1));
        }
        return ts;
    }

    /**
     * q(x_t | x_0) for every frame step, from the same data points (t = 0 is the data itself); for a flow model
     * the straight path x_t = (1 − t) x_0 + t ε at t = step / T.
     */
    public RunEvent.Frames forward(float[] data, Rng rng) {
        return forward(objective, schedule, data, rng);
    }

    private static RunEvent.Frames forward(ObjectiveKind objective, NoiseSchedule schedule, float[] data, Rng rng) {
        int[] ts = frameSteps(schedule.timesteps);
        float[][] clouds = new float[FRAMES][];
        for (int i = 0; i < FRAMES; i++) {
            clouds[i] = ts[i] == 0 ? data.clone()
                    : objective.isFlowModel() ? FlowMatching.interpolate(data, (double) ts[i] / schedule.timesteps, rng)
                    : ForwardProcess.qSample(schedule, data, ts[i] - 1, rng);
        }
        return new RunEvent.Frames(PictureKind.FORWARD, 0, ts, clouds);
    }

    /** The reverse chain's two pictures: its frames, and its motion. */
    public record Reverse(RunEvent.Frames frames, RunEvent.Motion motion) {
    }

    /**
     * One reverse chain, kept at up to {@link #MOTION_STATES} evenly spaced states: x_T ... x_0 by the ancestral
     * sampler (DDIM when the plan cuts the chain short), for a flow model Euler's ODE path in T steps (fewer when
     * the plan cuts it short; state labels are t · T), or for a score model the Langevin chain from N(0, I).
     * Its frames are the kept states nearest the frame steps (for Langevin, 10 evenly spaced iterations), each
     * labelled with the step it shows; its motion is the first {@link #MOTION_POINTS} particles through every kept
     * state.
     */
    public Reverse reverse(ModelView model, long trainingStep, Rng rng, Cancellation cancellation) {
        float[] start = new float[2 * plan.points()];
        rng.fillGaussian(start, 0, start.length);
        ChainRecording kept = ChainRecording.thinned(MOTION_STATES);
        Chain chain;
        int[] wanted = ts;
        if (model.isScoreModel()) {
            int iterations = Math.min(sampling.sampleSteps(), plan.chainSteps());
            wanted = frameSteps(iterations);
            chain = LangevinSampler.sample(model, start, iterations, sampling.langevinStepSize(),
                    sampling.langevinDecay(), sampling.temperature(), 0, rng, kept, cancellation);
        } else if (model.isFlowModel()) {
            chain = FlowSampler.euler(model, start, Math.min(schedule.timesteps, plan.chainSteps()), schedule.timesteps,
                    kept, cancellation);
        } else if (schedule.timesteps <= plan.chainSteps()) {
            chain = AncestralSampler.sample(model, start, sampling.variance(), rng, kept, cancellation);
        } else {
            SamplingConfig ddim = plan.ddim(sampling);
            chain = DdimSampler.sample(model, start, ddim.sampleSteps(), ddim.eta(), ddim.spacing(), rng, kept,
                    cancellation);
        }
        int[] shown = new int[FRAMES];
        float[][] clouds = new float[FRAMES][];
        for (int i = 0; i < FRAMES; i++) {
            int nearest = 0;
            for (int k = 1; k < chain.steps().length; k++) {
                if (Math.abs(chain.steps()[k] - wanted[i]) < Math.abs(chain.steps()[nearest] - wanted[i])) {
                    nearest = k;
                }
            }
            shown[i] = chain.steps()[nearest];
            clouds[i] = chain.states()[nearest];
        }
        int particles = Math.min(MOTION_POINTS, chain.points());
        float[][] states = new float[chain.states().length][];
        for (int j = 0; j < states.length; j++) {
            states[j] = Arrays.copyOf(chain.states()[j], 2 * particles);
        }
        return new Reverse(new RunEvent.Frames(PictureKind.REVERSE, trainingStep, shown, clouds),
                new RunEvent.Motion(trainingStep, chain.steps().clone(), states));
    }

    /** The learned score at each frame step (one field, repeated, for an unconditional score model). */
    public RunEvent.Field field(ModelView model, long trainingStep, Cancellation cancellation) {
        float[][] vectors = new float[FRAMES][];
        ScoreField first = null;
        for (int i = 0; i < FRAMES; i++) {
            if (model.isScoreModel() && first != null) {
                vectors[i] = first.scores();
                continue;
            }
            cancellation.check();
            ScoreField f = ScoreField.compute(model, plan.grid(), gridMin, gridMax, Math.max(ts[i] - 1, 0));
            first = first == null ? f : first;
            vectors[i] = f.scores();
        }
        return new RunEvent.Field(trainingStep, ts.clone(), plan.grid(), gridMin, gridMax, vectors);
    }

    /** Samples with the run's sampler, and for score models the first trajectories of the Langevin chain. */
    public RunEvent.Samples samples(ModelView model, long trainingStep, Rng rng, Cancellation cancellation) {
        SamplingConfig bounded = plan.bound(sampling, model.objective(), schedule.timesteps);
        ChainRecording recording = model.isScoreModel() ? ChainRecording.thinned(PATH_STATES) : ChainRecording.LAST;
        Chain chain = bounded.sample(model, plan.points(), rng, recording, cancellation);
        float[][] paths = model.isScoreModel() ? chain.trajectories(TRAJECTORIES, PATH_STATES) : null;
        return new RunEvent.Samples(trainingStep, bounded.effectiveSampler(model).id(), chain.last(), paths);
    }

    /** Sliced Wasserstein distance between samples and held-out data. */
    public static double metric(float[] samples, float[] heldOut) {
        return SlicedWasserstein.distance(samples, heldOut, SlicedWasserstein.DEFAULT_PROJECTIONS, new Rng(17));
    }
}
