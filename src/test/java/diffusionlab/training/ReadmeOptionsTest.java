package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Options" table lists every field of {@link ConfigFields}, in its order, with its default and
 * allowed values, and no other. {@link #main} prints the first three columns of each row for the README.
 */
class ReadmeOptionsTest {

    @Test
    void theReadmeListsEveryFieldWithItsDefaultAndRangeAndNoOther() throws IOException {
        Map<String, List<String>> rows = readmeRows();
        RunConfig defaults = ConfigParser.parse(Map.of());

        assertEquals(ConfigFields.ALL.stream().map(ConfigField::name).toList(), List.copyOf(rows.keySet()),
                "README's rows, in the table's order");
        for (ConfigField<?> field : ConfigFields.ALL) {
            List<String> cells = rows.get(field.name());
            assertEquals(field.describeDefault(defaults), cells.get(1), field.name() + "'s default");
            assertEquals(field.allowed(), cells.get(2), field.name() + "'s allowed values");
            assertTrue(cells.size() > 3 && !cells.get(3).isBlank(), field.name() + " is explained");
        }
    }

    /** The cells of each row of the "## Options" section, by the field named in its first cell. */
    private static Map<String, List<String>> readmeRows() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Options");
        assertTrue(start >= 0, "README.md has an Options section");
        int end = readme.indexOf("\n## ", start + 1);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (line.startsWith("| `")) {
                List<String> cells = List.of(line.substring(1, line.length() - 1).split(" \\| ", -1)).stream()
                        .map(String::strip).toList();
                rows.put(cells.get(0).replace("`", ""), cells);
            }
        }
        return rows;
    }

    /** Prints a row per field, for pasting into README.md (the last column, the meaning, is written by hand). */
    public static void main(String[] args) {
        RunConfig defaults = ConfigParser.parse(Map.of());
        for (ConfigField<?> field : ConfigFields.ALL) {
            System.out.println("| `" + field.name() + "` | " + field.describeDefault(defaults) + " | "
                    + field.allowed() + " | |");
        }
    }
}
