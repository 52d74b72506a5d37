package diffusionlab.training;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.sample.SamplingConfig;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One field of a run's config, a row of {@link ConfigFields}: its camelCase name (kebab-case on the command
 * line), type and range; its group, label, symbol and help in the new-run form and when it matters there;
 * how to read it from a {@link RunConfig} and set it on a {@link Draft}. {@code defaultText}, when not null,
 * says what the default is where the default preset's value would not (e.g. "the dataset's own").
 */
public record ConfigField<T>(String name, Group group, FieldType<T> type, FieldRange range, String when,
                             String label, String symbol, String help, String defaultText,
                             Function<RunConfig, T> get, BiConsumer<Draft, T> set) {

    /** The form's groups, in the order the notebook introduces them. */
    public enum Group {
        DATA("data", "Data", "x₀ ~ q(x₀)"),
        SCHEDULE("schedule", "Noise schedule", "β₁ … β_T"),
        MODEL("model", "Model", "ε_θ(x_t, t)"),
        OBJECTIVE("objective", "Objective", "the loss L(θ)"),
        TRAINING("training", "Training", "Adam on θ"),
        SAMPLING("sampling", "Sampling", "p_θ(x_{t−1} | x_t)");

        public final String id;
        public final String title;
        public final String notation;

        Group(String id, String title, String notation) {
            this.id = id;
            this.title = title;
            this.notation = notation;
        }
    }

    /** A run config being parsed: the preset's, with the given fields set one by one. */
    static final class Draft {
        String name;
        String preset;
        String reflowFrom;
        final ExperimentConfig.Builder experiment;
        final SamplingConfig.Builder sampling;

        Draft(Presets.Preset start) {
            name = start.label();
            preset = start.id();
            experiment = start.experiment().toBuilder();
            sampling = start.sampling().toBuilder();
        }

        RunConfig build() {
            return new RunConfig(name, preset, experiment.build(), sampling.build(), reflowFrom);
        }
    }

    /** Sets this field on the draft from what the client sent, or throws naming the field. */
    void parseInto(Draft draft, Object raw) {
        set.accept(draft, type.parse(name, raw));
    }

    /** Puts this field's value, if it has one, into a config's JSON. */
    void writeInto(RunConfig config, Map<String, Object> json) {
        T value = get.apply(config);
        if (value != null) {
            json.put(name, type.toJson(value));
        }
    }

    /**
     * Throws naming the field and its range if the config's value is out of it. An experiment field is only
     * checked where it is used ({@code when}): a value the form shows dimmed never blocks a run. Sampling
     * fields are always checked, since the dashboard may later sample the same run with another sampler.
     */
    void checkRange(RunConfig config, Map<String, Object> json) {
        T value = get.apply(config);
        if (range == null || value == null || (group != Group.SAMPLING && !matters(json))) {
            return;
        }
        if (!range.contains(((Number) value).doubleValue())) {
            String what = type instanceof FieldType.Decimal ? "a number " : "a whole number ";
            throw new InvalidConfigException(name, name + " (" + label + ") must be " + what + range.inWords());
        }
    }

    /**
     * Whether the field matters for a config (given as its JSON): {@code when} is clauses joined by ';', any
     * of which may hold, each a field and the ids it must (or with '!' must not) have: "schedule:!cosine",
     * "sampler:langevin;objective:dsm,ssm". The form's script reads the same syntax.
     */
    public boolean matters(Map<String, Object> json) {
        if (when == null) {
            return true;
        }
        for (String clause : when.split(";")) {
            String[] parts = clause.split(":");
            boolean negated = parts[1].startsWith("!");
            List<String> ids = List.of((negated ? parts[1].substring(1) : parts[1]).split(","));
            if (ids.contains(String.valueOf(json.getOrDefault(parts[0], ""))) != negated) {
                return true;
            }
        }
        return false;
    }

    /** Whether the new-run form shows this field (the preset is its buttons, the points its own editor). */
    public boolean inForm() {
        return label != null;
    }

    /** The default for the README: {@code defaultText}, or the value in the given (default) config. */
    public String describeDefault(RunConfig defaults) {
        return defaultText != null ? defaultText : type.describe(get.apply(defaults));
    }

    /** The allowed values for the README. */
    public String allowed() {
        return type.allowed(range);
    }
}
