package diffusionlab.web.api;

import diffusionlab.training.CostLimits;
import diffusionlab.training.FrozenWeights;
import diffusionlab.training.PointsCsv;
import diffusionlab.training.Run;
import diffusionlab.training.RunHistory;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.store.Npy;
import diffusionlab.web.RunLookup;
import diffusionlab.web.errors.HttpProblem;
import diffusionlab.web.json.ConfigJson;
import diffusionlab.web.security.ClientAddress;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * A run's files: {@code samples.csv} (fresh points from its current weights, header x,y), {@code loss.csv}
 * (header step,loss), {@code config.json} (which starts the same run again when posted to /api/runs) and
 * {@code weights.npy}.
 */
public final class RunDownloads {
    static final int DEFAULT_SAMPLES = 2000;
    static final int MAX_SAMPLES = 10_000;

    private final RunLookup runs;
    private final OnDemandSampler sampler;
    private final ClientAddress address;
    private final CostLimits costs;

    public RunDownloads(RunRegistry registry, OnDemandSampler sampler, ClientAddress address, CostLimits costs) {
        this.runs = new RunLookup(registry);
        this.sampler = sampler;
        this.address = address;
        this.costs = costs;
    }

    /** {@code GET /api/runs/{id}/samples.csv?n=2000[&sampler=..&weights=..]}; 409 before the first weights. */
    public void samples(Context ctx) {
        Run run = runs.require(ctx.pathParam("id"));
        SamplingRequest request = SamplingRequest.from(ctx, run.config(), DEFAULT_SAMPLES, MAX_SAMPLES, costs);
        FrozenWeights weights = requireWeights(run);
        ctx.future(() -> sampler.sample(address.of(ctx), weights, request, run::deleted)
                .thenAccept(result -> attachment(ctx, run.id() + "-samples.csv")
                        .contentType("text/csv; charset=utf-8")
                        .result(PointsCsv.format(result.cloud()))));
    }

    /** {@code GET /api/runs/{id}/loss.csv}: the loss curve so far. */
    public void loss(Context ctx) {
        Run run = runs.require(ctx.pathParam("id"));
        RunHistory history = run.history();
        long[] steps = history.lossSteps();
        float[] values = history.lossValues();
        int n = Math.min(steps.length, values.length);
        StringBuilder csv = new StringBuilder(24 * n + 16).append("step,loss\n");
        for (int i = 0; i < n; i++) {
            csv.append(steps[i]).append(',').append(String.format(Locale.ROOT, "%.7g", values[i])).append('\n');
        }
        attachment(ctx, run.id() + "-loss.csv").contentType("text/csv; charset=utf-8").result(csv.toString());
    }

    /** {@code GET /api/runs/{id}/config.json}. */
    public void config(Context ctx) {
        Run run = runs.require(ctx.pathParam("id"));
        attachment(ctx, run.id() + "-config.json").json(ConfigJson.of(run.config()));
    }

    /**
     * {@code GET /api/runs/{id}/weights.npy?weights=ema|raw}: the flat parameter vector as float32 NumPy
     * ({@code numpy.load}); its layout is ParamLayout's (docs/MATH.md).
     */
    public void weights(Context ctx) {
        Run run = runs.require(ctx.pathParam("id"));
        String which = ctx.queryParam("weights") == null ? "ema" : ctx.queryParam("weights");
        if (!which.equals("ema") && !which.equals("raw")) {
            throw HttpProblem.badRequest("weights must be one of ema, raw", "weights");
        }
        FrozenWeights weights = requireWeights(run);
        byte[] npy = Npy.float32(which.equals("ema") ? weights.ema() : weights.raw());
        attachment(ctx, run.id() + "-" + which + "-weights.npy").contentType("application/octet-stream").result(npy);
    }

    static FrozenWeights requireWeights(Run run) {
        return run.weights().orElseThrow(() -> HttpProblem.conflict("the run has no weights to sample yet (it is "
                + run.state().id() + "); try again once it has trained for a moment"));
    }

    private static Context attachment(Context ctx, String filename) {
        return ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    }
}
