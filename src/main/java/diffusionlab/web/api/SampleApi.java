package diffusionlab.web.api;

import diffusionlab.training.CostLimits;
import diffusionlab.training.FrozenWeights;
import diffusionlab.training.Run;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.PictureDrawer;
import diffusionlab.web.RunLookup;
import diffusionlab.web.wire.CloudCodec;
import diffusionlab.web.wire.PackedCloud;
import diffusionlab.web.security.ClientAddress;
import io.javalin.http.Context;

/**
 * {@code GET /api/runs/{id}/sample?sampler=ddim&sampleSteps=20&weights=raw}: the dashboard's sampler panel.
 * Points from the run's latest weights with any sampler setting, the first few points' paths through the
 * chain, and how far the samples are from the data.
 */
public final class SampleApi {
    static final int DEFAULT_POINTS = 2000;
    static final int MAX_POINTS = 5000;

    private final RunLookup runs;
    private final OnDemandSampler sampler;
    private final ClientAddress address;
    private final CostLimits costs;

    /** The answer: clouds packed as on the live socket (docs/PROTOCOL.md). */
    record Samples(long trainingStep, String sampler, String weights, int n, int sampleSteps, long millis,
                   Double distanceToData, PackedCloud cloud, PackedCloud[] trajectories) {
    }

    public SampleApi(RunRegistry registry, OnDemandSampler sampler, ClientAddress address, CostLimits costs) {
        this.runs = new RunLookup(registry);
        this.sampler = sampler;
        this.address = address;
        this.costs = costs;
    }

    public void sample(Context ctx) {
        Run run = runs.require(ctx.pathParam("id"));
        SamplingRequest request = SamplingRequest.from(ctx, run.config(), DEFAULT_POINTS, MAX_POINTS, costs);
        FrozenWeights weights = RunDownloads.requireWeights(run);
        float[] data = run.history().data();
        ctx.future(() -> sampler.sample(address.of(ctx), weights, request, run::deleted)
                .thenAccept(r -> ctx.json(new Samples(r.trainingStep(), r.sampler(), r.ema() ? "ema" : "raw",
                        r.cloud().length / 2, r.sampleSteps(), r.millis(), distance(r.cloud(), data), CloudCodec.pack(r.cloud()),
                        CloudCodec.packAll(r.trajectories())))));
    }

    private static Double distance(float[] samples, float[] data) {
        if (data == null || data.length < 4) {
            return null;
        }
        double d = PictureDrawer.metric(samples, data);
        return Double.isFinite(d) ? d : null;
    }
}
