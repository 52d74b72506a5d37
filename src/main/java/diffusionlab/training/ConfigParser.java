package diffusionlab.training;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.engine.sample.DdimSampler;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.engine.sample.VarianceType;
import diffusionlab.engine.schedule.ScheduleKind;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns the run config as clients send it (JSON in camelCase, or the command line's strings) into a
 * {@link RunConfig}: starts from a preset, overrides the given fields, and rejects unknown fields, wrong
 * types and out-of-range values with an {@link InvalidConfigException} naming the field and its range.
 */
public final class ConfigParser {
    public static final Set<String> FIELDS = Set.of("name", "preset", "dataset", "datasetSize", "datasetNoise",
            "points", "objective", "prediction", "schedule", "timesteps", "betaStart", "betaEnd", "hidden",
            "layers", "steps", "batchSize", "lr", "gradClip", "emaDecay", "sigma", "seed", "sampler",
            "sampleSteps", "eta", "spacing", "variance", "langevinStepSize", "langevinDecay", "temperature",
            "weights");

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
        String presetId = text("preset", "default");
        Presets.Preset preset = Presets.get(presetId);
        if (preset == null) {
            throw new InvalidConfigException("preset", "preset must be one of " + String.join(", ", Presets.all().keySet()));
        }
        ExperimentConfig p = preset.experiment();
        SamplingConfig ps = preset.sampling();
        String name = text("name", preset.label());
        if (name.isBlank() || name.length() > RunConfig.MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidConfigException("name", "name must be 1 to " + RunConfig.MAX_NAME
                    + " printable characters");
        }
        DatasetKind dataset = choice("dataset", DatasetKind.values(), DatasetKind::id, p.dataset());
        ExperimentConfig e = new ExperimentConfig(
                dataset,
                integer("datasetSize", p.datasetSize()),
                given("datasetNoise") // boxed on both sides: a null Double must not be unboxed
                        ? Double.valueOf(number("datasetNoise", 0)) : (values.containsKey("dataset") ? null : p.datasetNoise()),
                points(),
                choice("objective", ObjectiveKind.values(), ObjectiveKind::id, p.objective()),
                choice("prediction", Prediction.values(), Prediction::id, p.prediction()),
                choice("schedule", ScheduleKind.values(), ScheduleKind::id, p.schedule()),
                integer("timesteps", p.timesteps()),
                number("betaStart", p.betaStart()),
                number("betaEnd", p.betaEnd()),
                integer("hidden", p.hidden()),
                integer("layers", p.layers()),
                longInteger("steps", p.steps()),
                integer("batchSize", p.batchSize()),
                number("lr", p.lr()),
                number("gradClip", p.gradClip()),
                number("emaDecay", p.emaDecay()),
                number("sigma", p.sigma()),
                longInteger("seed", p.seed()));
        e.validate();
        String weights = text("weights", ps.ema() ? "ema" : "raw");
        if (!weights.equals("ema") && !weights.equals("raw")) {
            throw new InvalidConfigException("weights", "weights must be one of ema, raw");
        }
        SamplerKind sampler = values.containsKey("sampler") && values.get("sampler") != null
                && !String.valueOf(values.get("sampler")).isEmpty()
                ? choice("sampler", SamplerKind.values(), SamplerKind::id, null) : ps.sampler();
        SamplingConfig s = new SamplingConfig(
                sampler,
                integer("sampleSteps", ps.sampleSteps()),
                number("eta", ps.eta()),
                choice("spacing", DdimSampler.Spacing.values(), DdimSampler.Spacing::id, ps.spacing()),
                choice("variance", VarianceType.values(), VarianceType::id, ps.variance()),
                number("langevinStepSize", ps.langevinStepSize()),
                number("langevinDecay", ps.langevinDecay()),
                number("temperature", ps.temperature()),
                weights.equals("ema"));
        s.validate();
        return new RunConfig(name.strip(), presetId, e, s);
    }

    private boolean given(String field) {
        Object v = values.get(field);
        return v != null && !(v instanceof String str && str.isBlank());
    }

    private String text(String field, String fallback) {
        if (!given(field)) {
            return fallback;
        }
        Object v = values.get(field);
        if (!(v instanceof String s)) {
            throw new InvalidConfigException(field, field + " must be a string");
        }
        return s;
    }

    private <E> E choice(String field, E[] options, Function<E, String> id, E fallback) {
        if (!given(field)) {
            return fallback;
        }
        Object v = values.get(field);
        String allowed = Arrays.stream(options).map(id).collect(Collectors.joining(", "));
        if (v instanceof String s) {
            for (E option : options) {
                if (id.apply(option).equals(s.strip())) {
                    return option;
                }
            }
        }
        throw new InvalidConfigException(field, field + " must be one of " + allowed);
    }

    private double number(String field, double fallback) {
        if (!given(field)) {
            return fallback;
        }
        Object v = values.get(field);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                double d = Double.parseDouble(s.strip());
                if (!Double.isFinite(d)) {
                    throw new InvalidConfigException(field, field + " must be a finite number");
                }
                return d;
            } catch (NumberFormatException ex) {
                throw new InvalidConfigException(field, field + " must be a number, got '" + abbreviate(s) + "'");
            }
        }
        throw new InvalidConfigException(field, field + " must be a number");
    }

    private long longInteger(String field, long fallback) {
        if (!given(field)) {
            return fallback;
        }
        double d = number(field, fallback);
        if (!Double.isFinite(d) || d != Math.rint(d) || Math.abs(d) > 9e15) {
            throw new InvalidConfigException(field, field + " must be a whole number");
        }
        return (long) d;
    }

    private int integer(String field, int fallback) {
        long v = longInteger(field, fallback);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new InvalidConfigException(field, field + " is far out of range");
        }
        return (int) v;
    }

    /** points: [[x, y], ...] or [x, y, x, y, ...] (JSON), or "x,y;x,y" / CSV lines (command line). */
    private float[] points() {
        if (!given("points")) {
            return null;
        }
        Object v = values.get("points");
        if (v instanceof List<?> list) {
            if (list.size() > 2 * diffusionlab.engine.data.Dataset.MAX_POINTS) {
                throw new InvalidConfigException("points", "points: at most "
                        + diffusionlab.engine.data.Dataset.MAX_POINTS + " pairs");
            }
            float[] xy = new float[list.isEmpty() || list.get(0) instanceof Number ? list.size() : 2 * list.size()];
            int k = 0;
            for (Object item : list) {
                if (item instanceof Number n) {
                    xy[k++] = (float) n.doubleValue();
                } else if (item instanceof List<?> pair && pair.size() == 2
                        && pair.get(0) instanceof Number a && pair.get(1) instanceof Number b) {
                    xy[k++] = (float) a.doubleValue();
                    xy[k++] = (float) b.doubleValue();
                } else {
                    throw new InvalidConfigException("points", "points must be a list of [x, y] number pairs");
                }
            }
            if (k != xy.length) {
                throw new InvalidConfigException("points", "points must be a list of [x, y] number pairs");
            }
            return xy;
        }
        if (v instanceof String s) {
            return PointsCsv.parse(s);
        }
        throw new InvalidConfigException("points", "points must be a list of [x, y] number pairs");
    }

    private static String abbreviate(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "..." : s;
    }
}
