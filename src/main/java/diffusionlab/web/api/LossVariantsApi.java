package diffusionlab.web.api;

import diffusionlab.training.ConfigParser;
import diffusionlab.training.Presets;
import diffusionlab.training.Run;
import diffusionlab.training.RunConfig;
import diffusionlab.web.errors.HttpProblem;
import diffusionlab.web.json.JsonBody;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/compare/loss-variants}: one run per objective of {@link Presets#LOSS_VARIANTS} on the same
 * data and seed, answered with the compare page that shows them side by side. The body holds the data
 * fields and the seed (and optionally a common number of steps); every run is checked before any starts.
 */
public final class LossVariantsApi {
    private static final Logger LOG = LoggerFactory.getLogger(LossVariantsApi.class);
    static final Set<String> FIELDS = Set.of("dataset", "datasetSize", "datasetNoise", "points", "seed", "steps");

    private final JsonBody body;
    private final RunApi runApi;

    /** The runs started and the page that compares them. */
    record Started(List<String> ids, String url) {
    }

    public LossVariantsApi(JsonBody body, RunApi runApi) {
        this.body = body;
        this.runApi = runApi;
    }

    public void start(Context ctx) {
        runApi.requireRoom(ctx, Presets.LOSS_VARIANTS.length);
        Map<String, Object> shared = body.readObject(ctx, FIELDS);
        int trainingSize = ConfigParser.parse(shared).experiment().trainingSize();
        List<RunConfig> configs = new ArrayList<>();
        for (String presetId : Presets.LOSS_VARIANTS) {
            Presets.Preset preset = Presets.get(presetId);
            Map<String, Object> fields = new LinkedHashMap<>(shared);
            fields.put("preset", presetId);
            fields.put("batchSize", Math.min(preset.experiment().batchSize(), trainingSize));
            fields.put("name", preset.experiment().objective().id() + " · " + shared.getOrDefault("dataset",
                    preset.experiment().dataset().id()));
            configs.add(ConfigParser.parse(fields));
        }
        List<String> ids = runApi.start(ctx, configs).stream().map(Run::id).toList();
        LOG.info("loss variants started: {}", ids);
        ctx.status(201).json(new Started(ids, "/compare?runs=" + String.join(",", ids)));
    }
}
