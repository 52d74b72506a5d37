package diffusionlab.training;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.sample.SamplingConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inverse of {@link ConfigParser}: a run config as the flat camelCase map that clients send, so a
 * downloaded config JSON can be uploaded again and stored runs can be read back. Absent values (the
 * dataset's own noise, the model's own sampler, no points) are left out.
 */
public final class ConfigWriter {
    private ConfigWriter() {
    }

    public static Map<String, Object> toMap(RunConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ConfigField<?> field : ConfigFields.ALL) {
            field.writeInto(config, m);
        }
        return m;
    }

    /**
     * The fields that say when other fields matter (the {@code when} clauses name only choices: dataset, schedule,
     * objective, sampler...): everything but the points, which would be 100,000 boxed pairs for nothing.
     */
    static Map<String, Object> choices(RunConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ConfigField<?> field : ConfigFields.ALL) {
            if (!(field.type() instanceof FieldType.Points)) {
                field.writeInto(config, m);
            }
        }
        return m;
    }

    /** The sampling fields alone. */
    public static Map<String, Object> sampling(SamplingConfig s) {
        RunConfig onlySampling = new RunConfig("", "", ExperimentConfig.defaults(), s); // the rest is not written
        Map<String, Object> m = new LinkedHashMap<>();
        for (ConfigField<?> field : ConfigFields.ALL) {
            if (field.group() == ConfigField.Group.SAMPLING) {
                field.writeInto(onlySampling, m);
            }
        }
        return m;
    }
}
