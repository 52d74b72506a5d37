package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigWriterTest {

    @Test
    void aWrittenConfigParsesBackToTheSameConfig() {
        for (String preset : Presets.all().keySet()) {
            Map<String, Object> given = new HashMap<>(Map.of("preset", preset, "name", "round trip", "seed", 42));
            if (Presets.get(preset).needsParent()) {
                given.put("reflowFrom", "parent1"); // a reflow names its parent
            }
            RunConfig c = ConfigParser.parse(given);
            RunConfig back = ConfigParser.parse(ConfigWriter.toMap(c));
            assertEquals(ConfigWriter.toMap(c), ConfigWriter.toMap(back), preset);
            assertEquals(c.experiment().objective(), back.experiment().objective());
            assertEquals(c.sampling(), back.sampling());
        }
    }

    /** Every field of the table, set to a value other than the default, survives parse, write and parse. */
    @Test
    void everyFieldOfTheTableRoundTrips() {
        RunConfig defaults = ConfigParser.parse(Map.of());
        for (ConfigField<?> field : ConfigFields.ALL) {
            Map<String, Object> sent = new HashMap<>(Map.of(field.name(), another(field, defaults)));
            if (field.name().equals("points")) {
                sent.put("dataset", "points");
                sent.put("batchSize", 8);
            }
            if (field.name().equals("reflowFrom")) { // only a flow reflows
                sent.put("objective", "flow_matching");
            }
            RunConfig c = ConfigParser.parse(sent);
            Map<String, Object> written = ConfigWriter.toMap(c);
            assertEquals(sent.get(field.name()), written.get(field.name()), field.name());
            assertEquals(written, ConfigWriter.toMap(ConfigParser.parse(written)), field.name());
        }
    }

    /** A valid value of the field, as JSON would hold it, that is not its default. */
    private static Object another(ConfigField<?> field, RunConfig defaults) {
        Object current = ConfigWriter.toMap(defaults).get(field.name());
        if (field.type() instanceof FieldType.Choice<?> choice) {
            return choice.ids().stream().filter(id -> !id.equals(current)).findFirst().orElseThrow();
        }
        if (field.type() instanceof FieldType.Points) {
            List<List<Float>> points = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                points.add(List.of(0.25f * i, -0.5f * i));
            }
            return points;
        }
        if (field.type() instanceof FieldType.Text) {
            return "round trip";
        }
        // a hundredth of the way into the range keeps betaStart below betaEnd and batchSize within the data
        double v = field.range().lo() + 0.01 * (field.range().hi() - field.range().lo());
        if (field.type() instanceof FieldType.Decimal) {
            return v;
        }
        long whole = Math.round(v) == ((Number) current).longValue() ? Math.round(v) + 1 : Math.round(v);
        return field.type() instanceof FieldType.WholeNumber ? (Object) (int) whole : (Object) whole;
    }
}
