package diffusionlab.training;

import diffusionlab.engine.Rng;
import diffusionlab.engine.metric.SlicedWasserstein;
import diffusionlab.engine.objective.ForwardProcess;
import diffusionlab.engine.sample.AncestralSampler;
import diffusionlab.engine.sample.Chain;
import diffusionlab.engine.sample.LangevinSampler;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.engine.sample.ScoreField;
import diffusionlab.engine.schedule.NoiseSchedule;

/**
 * Draws a run's {@link PictureKind pictures} from a frozen copy of the weights: the forward frames q(x_t), the
 * reverse chain, the score field at the same time steps, samples, and the quality metric. Pure functions of
 * their inputs; the worker decides when and on which thread.
 */
public final class PictureDrawer {
    public static final int POINTS = 2000;
    public static final int FRAMES = 10;
    public static final int GRID = 21;
    public static final int TRAJECTORIES = 16;
    public static final int PATH_STATES = 101;

    private final SamplingConfig sampling;
    private final NoiseSchedule schedule;
    private final int[] ts;
    private final double gridMin;
    private final double gridMax;

    public PictureDrawer(SamplingConfig sampling, NoiseSchedule schedule, float[] data) {
        this.sampling = sampling;
        this.schedule = schedule;
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
     * The reverse chain at the frame steps (x_T ... x_0 by the ancestral sampler), or for a score model the
     * Langevin chain from N(0, I) at 10 evenly spaced iterations.
     */
    public RunEvent.Frames reverse(ModelView model, long trainingStep, Rng rng) {
        float[] start = new float[2 * POINTS];
        rng.fillGaussian(start, 0, start.length);
        float[][] clouds = new float[FRAMES][];
        if (model.isScoreModel()) {
            int iterations = sampling.sampleSteps();
            Chain chain = LangevinSampler.sample(model, start, iterations, sampling.langevinStepSize(),
                    sampling.langevinDecay(), sampling.temperature(), 0, rng);
            int[] ks = frameSteps(iterations);
            for (int i = 0; i < FRAMES; i++) {
                clouds[i] = chain.states()[ks[i]];
            }
            return new RunEvent.Frames(PictureKind.REVERSE, trainingStep, ks, clouds);
        }
        Chain chain = AncestralSampler.sample(model, start, sampling.variance(), rng);
        int T = schedule.timesteps;
        for (int i = 0; i < FRAMES; i++) {
            clouds[i] = chain.states()[T - ts[i]];
        }
        return new RunEvent.Frames(PictureKind.REVERSE, trainingStep, ts.clone(), clouds);
    }

    /** The learned score at each frame step (one field, repeated, for an unconditional score model). */
    public RunEvent.Field field(ModelView model, long trainingStep) {
        float[][] vectors = new float[FRAMES][];
        ScoreField first = null;
        for (int i = 0; i < FRAMES; i++) {
            if (model.isScoreModel() && first != null) {
                vectors[i] = first.scores();
                continue;
            }
            ScoreField f = ScoreField.compute(model, GRID, gridMin, gridMax, Math.max(ts[i] - 1, 0));
            first = first == null ? f : first;
            vectors[i] = f.scores();
        }
        return new RunEvent.Field(trainingStep, ts.clone(), GRID, gridMin, gridMax, vectors);
    }

    /** Samples with the run's sampler, and for score models the first trajectories of the Langevin chain. */
    public RunEvent.Samples samples(ModelView model, long trainingStep, Rng rng) {
        Chain chain = sampling.sample(model, POINTS, rng);
        float[][] paths = model.isScoreModel() ? chain.trajectories(TRAJECTORIES, PATH_STATES) : null;
        return new RunEvent.Samples(trainingStep, sampling.effectiveSampler(model).id(), chain.last(), paths);
    }

    /** Sliced Wasserstein distance between samples and held-out data. */
    public static double metric(float[] samples, float[] heldOut) {
        return SlicedWasserstein.distance(samples, heldOut, SlicedWasserstein.DEFAULT_PROJECTIONS, new Rng(17));
    }
}
