package diffusionlab.training;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;
import diffusionlab.engine.metric.SlicedWasserstein;
import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.objective.ForwardProcess;
import diffusionlab.engine.sample.AncestralSampler;
import diffusionlab.engine.sample.Chain;
import diffusionlab.engine.sample.ChainRecording;
import diffusionlab.engine.sample.DdimSampler;
import diffusionlab.engine.sample.LangevinSampler;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.engine.sample.ScoreField;
import diffusionlab.engine.schedule.NoiseSchedule;

/**
 * Draws a run's {@link PictureKind pictures} from a frozen copy of the weights: the forward frames q(x_t), the
 * reverse chain, the score field at the same time steps, samples, and the quality metric. Each refresh keeps to
 * a {@link Plan budget} (about half a second of one core whatever the model), and every chain checks its
 * {@link Cancellation} at each step. Pure functions of their inputs; the worker decides when and on which thread.
 */
public final class PictureDrawer {
    public static final int POINTS = 2000;
    public static final int FRAMES = 10;
    public static final int GRID = 21;
    public static final int TRAJECTORIES = 16;
    public static final int PATH_STATES = 101;

    private final SamplingConfig sampling;
    private final NoiseSchedule schedule;
    private final Plan plan;
    private final int[] ts;
    private final double gridMin;
    private final double gridMax;

    public PictureDrawer(SamplingConfig sampling, NoiseSchedule schedule, MlpShape shape, float[] data) {
        this.sampling = sampling;
        this.schedule = schedule;
        this.plan = Plan.of(shape, schedule.timesteps, sampling);
        this.ts = frameSteps(schedule.timesteps);
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (float v : data) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double margin = 0.15 * (hi - lo) + 1e-3;
        this.gridMin = lo - margin;
        this.gridMax = hi + margin;
    }

    /**
     * How much of a refresh a model can afford. A refresh costs about (reverse chain steps + sampler chain steps)
     * x points + field frames x grid² passes of one point through the model ({@link RunCost#forwardFlops}); within
     * {@link #BUDGET_SECONDS} it draws {@link #POINTS} points, else fewer (down to
     * {@link #MIN_POINTS}), then shorter chains (the first iterations of Langevin; DDIM in place of a longer
     * ancestral chain), and a coarser field (down to {@link #MIN_GRID}²).
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

        static Plan of(MlpShape shape, int timesteps, SamplingConfig sampling) {
            boolean scoreModel = !shape.conditional();
            double passes = BUDGET_SECONDS * RunCost.FLOPS_PER_SECOND / RunCost.forwardFlops(shape);
            int fieldFrames = scoreModel ? 1 : FRAMES;
            int grid = GRID;
            while (grid > MIN_GRID && fieldFrames * grid * grid > passes / 10) {
                grid -= 2;
            }
            double chainPasses = Math.max(0, passes - fieldFrames * grid * grid);
            int reverseSteps = scoreModel ? sampling.sampleSteps() : timesteps;
            int sampleSteps = sampling.chainSteps(scoreModel, timesteps);
            int longest = Math.max(reverseSteps, sampleSteps);
            int points = (int) Math.max(MIN_POINTS, Math.min(POINTS, chainPasses / (reverseSteps + sampleSteps)));
            int chainSteps = (int) Math.max(1, Math.min(longest, chainPasses / (2.0 * points)));
            return new Plan(points, chainSteps, grid);
        }

        /** The run's sampling with its chain no longer than {@link #chainSteps}; DDIM for a longer ancestral one. */
        SamplingConfig bound(SamplingConfig s, boolean scoreModel, int timesteps) {
            return switch (s.effectiveSampler(scoreModel)) {
                case ANCESTRAL -> timesteps <= chainSteps ? s : ddim(s);
                case DDIM, LANGEVIN -> s.sampleSteps() <= chainSteps ? s : s.toBuilder().sampleSteps(chainSteps).build();
            };
        }

        /** DDIM over {@link #chainSteps} steps with eta = 1, the nearest to the ancestral chain. */
        SamplingConfig ddim(SamplingConfig s) {
            return s.toBuilder().sampler(SamplerKind.DDIM).sampleSteps(chainSteps).eta(1).build();
        }
    }

    /** The training sample the pictures are drawn over: its first {@link #POINTS} points. */
    public static RunEvent.Data data(float[] trainingData) {
        return new RunEvent.Data(java.util.Arrays.copyOf(trainingData, 2 * Math.min(POINTS, trainingData.length / 2)));
    }

    /** The 10 time steps in paper notation, 0 (data) .. T (noise), evenly spaced. */
    public static int[] frameSteps(int T) {
        int[] ts = new int[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            ts[i] = (int) Math.round((double) i * T / (FRAMES - 1));
        }
        return ts;
    }

    public int[] ts() {
        return ts.clone();
    }

    /** q(x_t | x_0) for every frame step, from the same data points (t = 0 is the data itself). */
    public RunEvent.Frames forward(float[] data, Rng rng) {
        float[][] clouds = new float[FRAMES][];
        for (int i = 0; i < FRAMES; i++) {
            clouds[i] = ts[i] == 0 ? data.clone() : ForwardProcess.qSample(schedule, data, ts[i] - 1, rng);
        }
        return new RunEvent.Frames(PictureKind.FORWARD, 0, ts.clone(), clouds);
    }

    /**
     * The reverse chain at the frame steps (x_T ... x_0 by the ancestral sampler, or DDIM's nearest states when the
     * plan cuts the chain short), or for a score model the Langevin chain from N(0, I) at 10 evenly spaced
     * iterations; each frame is labelled with the step it shows.
     */
    public RunEvent.Frames reverse(ModelView model, long trainingStep, Rng rng, Cancellation cancellation) {
        float[] start = new float[2 * plan.points()];
        rng.fillGaussian(start, 0, start.length);
        float[][] clouds = new float[FRAMES][];
        if (model.isScoreModel()) {
            int iterations = Math.min(sampling.sampleSteps(), plan.chainSteps());
            int[] ks = frameSteps(iterations);
            Chain chain = LangevinSampler.sample(model, start, iterations, sampling.langevinStepSize(),
                    sampling.langevinDecay(), sampling.temperature(), 0, rng, ChainRecording.at(ks), cancellation);
            for (int i = 0; i < FRAMES; i++) {
                clouds[i] = chain.atStep(ks[i]);
            }
            return new RunEvent.Frames(PictureKind.REVERSE, trainingStep, ks, clouds);
        }
        int T = schedule.timesteps;
        if (T <= plan.chainSteps()) {
            int[] kept = new int[FRAMES];
            for (int i = 0; i < FRAMES; i++) {
                kept[i] = T - ts[i];
            }
            Chain chain = AncestralSampler.sample(model, start, sampling.variance(), rng, ChainRecording.at(kept),
                    cancellation);
            for (int i = 0; i < FRAMES; i++) {
                clouds[i] = chain.atStep(ts[i]);
            }
            return new RunEvent.Frames(PictureKind.REVERSE, trainingStep, ts.clone(), clouds);
        }
        SamplingConfig ddim = plan.ddim(sampling);
        Chain chain = DdimSampler.sample(model, start, ddim.sampleSteps(), ddim.eta(), ddim.spacing(), rng,
                ChainRecording.ALL, cancellation);
        int[] shown = new int[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            int nearest = 0;
            for (int k = 1; k < chain.steps().length; k++) {
                if (Math.abs(chain.steps()[k] - ts[i]) < Math.abs(chain.steps()[nearest] - ts[i])) {
                    nearest = k;
                }
            }
            shown[i] = chain.steps()[nearest];
            clouds[i] = chain.states()[nearest];
        }
        return new RunEvent.Frames(PictureKind.REVERSE, trainingStep, shown, clouds);
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
        SamplingConfig bounded = plan.bound(sampling, model.isScoreModel(), schedule.timesteps);
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
