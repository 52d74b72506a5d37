package diffusionlab.web.json;

import diffusionlab.training.ConfigWriter;
import diffusionlab.training.RunConfig;
import java.util.Map;

/**
 * A run config as the API's JSON (camelCase, README's Options): the same fields {@code POST /api/runs} accepts,
 * so a downloaded config starts the same run again ({@link ConfigWriter} writes them).
 */
public final class ConfigJson {
    private ConfigJson() {
    }

    /** Every field, including the user's points. */
    public static Map<String, Object> of(RunConfig config) {
        return ConfigWriter.toMap(config);
    }

    /** Every field but the points (a viewer gets those as a packed cloud). */
    public static Map<String, Object> withoutPoints(RunConfig config) {
        Map<String, Object> json = of(config);
        json.remove("points");
        return json;
    }
}
