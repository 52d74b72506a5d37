package diffusionlab.training;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the run config as clients send it (JSON in camelCase, or the command line's strings) into a
 * {@link RunConfig}: starts from a preset, overrides the given fields, and rejects unknown fields, wrong
 * types and out-of-range values with an {@link InvalidConfigException} naming the field and its range.
 * The fields, their types and ranges are {@link ConfigFields}'.
 */
public final class ConfigParser {
    public static final Set<String> FIELDS = ConfigFields.ALL.stream().map(ConfigField::name)
            .collect(Collectors.toUnmodifiableSet());
    private static final String DEFAULT_PRESET = "default";

    private final Map<String, ?> values;

    private ConfigParser(Map<String, ?> values) {
        this.values = values;
    }

    public static RunConfig parse(Map<String, ?> values) {
        return new ConfigParser(values).build();
    }

    private RunConfig build() {
        for (String key : values.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new InvalidConfigException(key, "unknown field '" + key + "'; allowed: "
                        + FIELDS.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
        Presets.Preset preset = Presets.get(given("preset")
                ? ConfigFields.PRESET.type().parse("preset", values.get("preset")) : DEFAULT_PRESET);
        ConfigField.Draft draft = new ConfigField.Draft(preset);
        for (ConfigField<?> field : ConfigFields.ALL) {
            if (given(field.name())) {
                field.parseInto(draft, values.get(field.name()));
            }
        }
        RunConfig config = withDependentDefaults(draft.build(), preset);
        Map<String, Object> json = ConfigWriter.choices(config);
        for (ConfigField<?> field : ConfigFields.ALL) {
            field.checkRange(config, json);
        }
        config.experiment().validate();
        return config;
    }

    /**
     * The two defaults that depend on other fields: the preset's dataset noise and number of sampler steps
     * only hold for the preset's dataset and sampler. Otherwise the noise is the dataset's own (null) and
     * the steps are the sampler's own (Langevin needs far more iterations than DDIM needs steps).
     */
    private RunConfig withDependentDefaults(RunConfig config, Presets.Preset preset) {
        ExperimentConfig e = config.experiment();
        SamplingConfig s = config.sampling();
        if (!given("datasetNoise") && e.dataset() != preset.experiment().dataset()) {
            e = e.toBuilder().datasetNoise(null).build();
        }
        SamplerKind sampler = s.effectiveSampler(e.objective());
        SamplerKind presetSampler = preset.sampling().effectiveSampler(preset.experiment().objective());
        if (!given("sampleSteps") && sampler != presetSampler) {
            s = s.toBuilder().sampleSteps(SamplingConfig.defaultSteps(sampler)).build();
        }
        if (config.reflowFrom() == null && preset.needsParent()) {
            throw new InvalidConfigException("reflowFrom", "reflowFrom (Flow to straighten) is required by the preset "
                    + "\u201c" + preset.label() + "\u201d: the id of a finished flow_matching run");
        }
        if (config.reflowFrom() != null && !e.objective().isFlowModel()) {
            throw new InvalidConfigException("reflowFrom", "reflowFrom trains flow matching on a parent flow's pairs; "
                    + "objective " + e.objective().id() + " cannot (use flow_matching)");
        }
        return new RunConfig(config.name(), config.preset(), e, s, config.reflowFrom());
    }

    /** Absent, null and blank values take the default. */
    private boolean given(String field) {
        Object v = values.get(field);
        return v != null && !(v instanceof String str && str.isBlank());
    }
}
