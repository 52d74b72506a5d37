package diffusionlab.web.api;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;
import diffusionlab.engine.sample.Chain;
import diffusionlab.engine.sample.ChainRecording;
import diffusionlab.engine.sample.LangevinSampler;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.training.ConfigParser;
import diffusionlab.training.ConfigWriter;
import diffusionlab.training.FrozenWeights;
import diffusionlab.training.Run;
import diffusionlab.training.RunRegistry;
import diffusionlab.web.RunLookup;
import diffusionlab.web.errors.HttpProblem;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * {@code GET /api/runs/{id}/langevin-path?x=1.5&y=-1.5&steps=10}: the notebook's Langevin experiment on a run's
 * latest weights: one walk from one start point (x, y), every state kept, for the lesson to draw each step as an
 * arrow over the score field. The step size, its decay and the temperature are the config's sampling fields
 * (checked with the config's ranges and messages), defaulting to the notebook's ε = 0.01, d = 0.9, τ = 1. The
 * walk costs one network evaluation of one point per step, and at most {@link #MAX_STEPS} steps, so it is drawn
 * at once on the request's thread; but each walk holds a model's inference workspace (up to ~26 MB for the widest,
 * deepest model), so at most {@link #WALKS_AT_ONCE} are drawn at once and another is a 429 with {@code Retry-After}.
 */
public final class LangevinPathApi {
    static final int DEFAULT_STEPS = 10;
    static final int MAX_STEPS = 1000;
    /** The start point must lie within this distance of the origin on each axis (the data lie in [-2, 2]²). */
    static final double MAX_START = 10;
    static final double NOTEBOOK_STEP_SIZE = 0.01;
    static final double NOTEBOOK_DECAY = 0.9;
    static final Set<String> PARAMETERS = Set.of("x", "y", "steps", "langevinStepSize", "langevinDecay",
            "temperature", "weights", "seed");

    static final int WALKS_AT_ONCE = 1;

    private final RunLookup runs;
    private final Semaphore walks;

    /** The walk: its start, settings and states [x_0, y_0, x_1, y_1, ...], k = 0 .. steps. */
    record Path(long trainingStep, String weights, int steps, double langevinStepSize, double langevinDecay,
                double temperature, float[] path) {
    }

    public LangevinPathApi(RunRegistry registry) {
        this(registry, WALKS_AT_ONCE);
    }

    LangevinPathApi(RunRegistry registry, int walksAtOnce) {
        this.runs = new RunLookup(registry);
        this.walks = new Semaphore(walksAtOnce);
    }

    public void path(Context ctx) {
        Run run = runs.require(ctx.pathParam("id"));
        Map<String, Object> query = QueryParams.only(ctx, PARAMETERS);
        double x = QueryParams.takeDouble(query, "x", 1.5, -MAX_START, MAX_START);
        double y = QueryParams.takeDouble(query, "y", -1.5, -MAX_START, MAX_START);
        int steps = QueryParams.takeInt(query, "steps", DEFAULT_STEPS, 1, MAX_STEPS);
        int seed = QueryParams.takeInt(query, "seed", 1, 0, Integer.MAX_VALUE);
        SamplingConfig sampling = settings(run, query);
        FrozenWeights weights = RunDownloads.requireWeights(run);
        if (!walks.tryAcquire()) {
            throw HttpProblem.tooManyRequests("another Langevin walk is being drawn; try again in a moment", 1);
        }
        Chain chain;
        try {
            chain = LangevinSampler.sample(weights.view(sampling.ema()), new float[] {(float) x, (float) y}, steps,
                    sampling.langevinStepSize(), sampling.langevinDecay(), sampling.temperature(), 0, new Rng(seed),
                    ChainRecording.ALL, Cancellation.NEVER);
        } finally {
            walks.release();
        }
        float[] path = new float[2 * (steps + 1)];
        for (int k = 0; k <= steps; k++) {
            System.arraycopy(chain.states()[k], 0, path, 2 * k, 2);
        }
        ctx.json(new Path(weights.step(), sampling.ema() ? "ema" : "raw", steps, sampling.langevinStepSize(),
                sampling.langevinDecay(), sampling.temperature(), path));
    }

    /** The run's sampling settings with the notebook's step size and decay, then the query's. */
    private static SamplingConfig settings(Run run, Map<String, Object> query) {
        Map<String, Object> fields = new LinkedHashMap<>(ConfigWriter.sampling(run.config().sampling()));
        fields.put("langevinStepSize", NOTEBOOK_STEP_SIZE);
        fields.put("langevinDecay", NOTEBOOK_DECAY);
        fields.put("temperature", 1.0);
        fields.putAll(query);
        fields.put("sampler", "langevin");
        fields.remove("sampleSteps");
        fields.put("objective", run.config().experiment().objective().id());
        return ConfigParser.parse(fields).sampling();
    }
}
