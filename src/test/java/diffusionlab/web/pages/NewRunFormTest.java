package diffusionlab.web.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import diffusionlab.training.ConfigField;
import diffusionlab.training.ConfigFields;
import diffusionlab.training.ConfigParser;
import diffusionlab.training.ConfigWriter;
import diffusionlab.training.FieldRange;
import diffusionlab.training.FieldType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NewRunFormTest {
    private static final List<FieldGroup> FORM = NewRunForm.groups(ConfigWriter.toMap(ConfigParser.parse(Map.of())), List.of());

    @Test
    void theFormHasExactlyTheTablesFieldsButThePresetAndThePoints() {
        List<String> shown = FORM.stream().flatMap(g -> g.fields().stream()).map(FormField::name).toList();
        Set<String> notShown = ConfigFields.ALL.stream().map(ConfigField::name)
                .filter(name -> !shown.contains(name)).collect(Collectors.toSet());

        // a button row and their own editor
        assertEquals(Set.of("preset", "points"), notShown);
        assertEquals(ConfigFields.ALL.stream().filter(ConfigField::inForm).map(ConfigField::name).toList(), shown);
        assertEquals(List.of("data", "schedule", "model", "objective", "training", "sampling"),
                FORM.stream().map(FieldGroup::id).toList());
    }

    @Test
    void aReflowsParentIsChosenAmongTheFinishedFlowsItIsGivenAndMattersForTheReflowPresetOnly() {
        List<FieldGroup> form = NewRunForm.groups(ConfigWriter.toMap(ConfigParser.parse(Map.of())),
                List.of(new Choice("abc", "a flow (abc)", false)));
        FormField parent = form.stream().flatMap(g -> g.fields().stream()).filter(f -> f.name().equals("reflowFrom"))
                .findFirst().orElseThrow();
        assertEquals("select", parent.kind());
        assertEquals(List.of("", "abc"), parent.choices().stream().map(Choice::value).toList());
        assertEquals("preset:reflow", parent.when());
        FormField none = FORM.stream().flatMap(g -> g.fields().stream()).filter(f -> f.name().equals("reflowFrom"))
                .findFirst().orElseThrow();
        assertEquals("(no finished flow_matching run yet)", none.choices().get(0).label());
    }

    @Test
    void eachInputHasTheTablesGroupLabelRangeChoicesAndCondition() {
        for (FieldGroup group : FORM) {
            for (FormField input : group.fields()) {
                ConfigField<?> field = ConfigFields.named(input.name());
                assertEquals(field.group().id, group.id(), input.name());
                assertEquals(field.label(), input.label(), input.name());
                assertEquals(field.when(), input.when(), input.name());
                if (field.range() != null) {
                    assertEquals("number", input.kind(), input.name());
                    assertEquals(FieldRange.format(field.range().lo()), input.min(), input.name());
                    assertEquals(FieldRange.format(field.range().hi()), input.max(), input.name());
                } else if (field.type() instanceof FieldType.Choice<?> choice) {
                    List<String> values = input.choices().stream().map(Choice::value).toList();
                    assertEquals(choice.ids(), values.subList(choice.none() != null ? 1 : 0, values.size()), input.name());
                    assertEquals(1, input.choices().stream().filter(Choice::selected).count(), input.name());
                } else if (field != ConfigFields.REFLOW_FROM) { // a choice among runs, tested above
                    assertEquals("text", input.kind(), input.name());
                    assertNull(input.min(), input.name());
                }
            }
        }
    }
}
