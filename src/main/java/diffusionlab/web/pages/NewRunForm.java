package diffusionlab.web.pages;

import diffusionlab.training.ConfigField;
import diffusionlab.training.ConfigFields;
import diffusionlab.training.FieldRange;
import diffusionlab.training.FieldType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every field of {@link ConfigFields} that the form shows, in its groups (data, noise schedule, model,
 * objective, training, sampling), with the table's labels, help in the notebook's notation and ranges,
 * filled with the values of a config.
 */
public final class NewRunForm {
    private NewRunForm() {
    }

    /**
     * The form filled with {@code values} (a config as {@link diffusionlab.web.json.ConfigJson} writes it);
     * {@code flows} are the runs a reflow may start from (finished flow_matching runs), the choices of
     * {@code reflowFrom}.
     */
    public static List<FieldGroup> groups(Map<String, Object> values, List<Choice> flows) {
        return Arrays.stream(ConfigField.Group.values())
                .map(group -> new FieldGroup(group.id, group.title, group.notation, ConfigFields.ALL.stream()
                        .filter(f -> f.group() == group && f.inForm())
                        .map(f -> f == ConfigFields.REFLOW_FROM ? parent(f, flows) : input(f, value(values.get(f.name()))))
                        .toList()))
                .toList();
    }

    /** A reflow's parent: a choice among the finished flows, none chosen (the reflow preset picks the newest). */
    private static FormField parent(ConfigField<?> f, List<Choice> flows) {
        List<Choice> choices = new ArrayList<>();
        choices.add(new Choice("", flows.isEmpty() ? "(no finished flow_matching run yet)" : "(none)", true));
        choices.addAll(flows);
        return new FormField(f.name(), f.label(), f.symbol(), f.help(), "select", "", choices, null, null, false,
                false, null, f.when());
    }

    /** The input of one field, filled with {@code values}; empty for a field the form does not show. */
    public static java.util.Optional<FormField> field(String name, Map<String, Object> values) {
        return ConfigFields.ALL.stream().filter(f -> f.name().equals(name) && f.inForm()).findFirst()
                .map(f -> input(f, value(values.get(f.name()))));
    }

    private static FormField input(ConfigField<?> f, String value) {
        if (f.type() instanceof FieldType.Choice<?> choice) {
            List<String> ids = new ArrayList<>();
            if (choice.none() != null) {
                ids.add("");
            }
            ids.addAll(choice.ids());
            List<Choice> choices = ids.stream()
                    .map(id -> new Choice(id, id.isEmpty() ? "(" + choice.none() + ")" : id, id.equals(value)))
                    .toList();
            return new FormField(f.name(), f.label(), f.symbol(), f.help(), "select", value, choices, null, null, false,
                    false, null, f.when());
        }
        if (f.range() != null) {
            String step = f.type() instanceof FieldType.Decimal ? "any" : "1";
            FieldRange r = f.range();
            return new FormField(f.name(), f.label(), f.symbol(), f.help(), "number", value, List.of(),
                    FieldRange.format(r.lo()), FieldRange.format(r.hi()), !r.loIncluded(), !r.hiIncluded(), step,
                    f.when());
        }
        return new FormField(f.name(), f.label(), f.symbol(), f.help(), "text", value, List.of(), null, null, false,
                false, null, f.when());
    }

    private static String value(Object v) {
        if (v instanceof Double d && Math.abs(d) >= 1e-7 && Math.abs(d) < 1e7) {
            return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString(); // 0.0001, not 1.0E-4
        }
        return v == null ? "" : String.valueOf(v);
    }
}
