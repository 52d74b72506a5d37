package diffusionlab.web.api;

import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.training.ConfigParser;
import diffusionlab.training.CostLimits;
import diffusionlab.training.RunCost;
import diffusionlab.training.RunConfig;
import diffusionlab.training.ConfigWriter;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What to sample, from the query: the run's own sampler settings, overridden by any of the config's
 * sampling fields (checked by {@link ConfigParser}, so the messages and ranges are the config's), plus how
 * many points ({@code n}) and the {@code seed}; and what drawing them costs, refused with 400 naming {@code n}
 * or {@code sampleSteps} when it is more than one sample may cost ({@link CostLimits}).
 */
record SamplingRequest(SamplingConfig sampling, int n, int seed, RunCost.Sample cost) {
    static final Set<String> PARAMETERS = Set.of("sampler", "sampleSteps", "eta", "spacing", "variance",
            "langevinStepSize", "langevinDecay", "temperature", "weights", "n", "seed");

    static SamplingRequest from(Context ctx, RunConfig config, int defaultPoints, int maxPoints, CostLimits costs) {
        Map<String, Object> query = QueryParams.only(ctx, PARAMETERS);
        int n = QueryParams.takeInt(query, "n", defaultPoints, 1, maxPoints);
        int seed = QueryParams.takeInt(query, "seed", 1, 0, Integer.MAX_VALUE);
        Map<String, Object> fields = new LinkedHashMap<>(ConfigWriter.sampling(config.sampling()));
        fields.putAll(query);
        fields.put("objective", config.experiment().objective().id()); // which samplers the model accepts
        SamplingConfig sampling = ConfigParser.parse(fields).sampling();
        RunCost.Sample cost = costs.requireSample(config.experiment(), sampling, n, defaultPoints,
                OnDemandSampler.CHUNK);
        return new SamplingRequest(sampling, n, seed, cost);
    }
}
