package diffusionlab.web.api;

import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.training.ConfigParser;
import diffusionlab.training.RunConfig;
import diffusionlab.training.ConfigWriter;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What to sample, from the query: the run's own sampler settings, overridden by any of the config's
 * sampling fields (checked by {@link ConfigParser}, so the messages and ranges are the config's), plus how
 * many points ({@code n}) and the {@code seed}.
 */
record SamplingRequest(SamplingConfig sampling, int n, int seed) {
    static final Set<String> PARAMETERS = Set.of("sampler", "sampleSteps", "eta", "spacing", "variance",
            "langevinStepSize", "langevinDecay", "temperature", "weights", "n", "seed");

    static SamplingRequest from(Context ctx, RunConfig config, int defaultPoints, int maxPoints) {
        Map<String, Object> query = QueryParams.only(ctx, PARAMETERS);
        int n = QueryParams.takeInt(query, "n", defaultPoints, 1, maxPoints);
        int seed = QueryParams.takeInt(query, "seed", 1, 0, Integer.MAX_VALUE);
        Map<String, Object> fields = new LinkedHashMap<>(ConfigWriter.sampling(config.sampling()));
        fields.putAll(query);
        return new SamplingRequest(ConfigParser.parse(fields).sampling(), n, seed);
    }
}
