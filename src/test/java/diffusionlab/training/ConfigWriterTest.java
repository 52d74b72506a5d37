package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigWriterTest {

    @Test
    void aWrittenConfigParsesBackToTheSameConfig() {
        for (String preset : Presets.all().keySet()) {
            RunConfig c = ConfigParser.parse(Map.of("preset", preset, "name", "round trip", "seed", 42));
            RunConfig back = ConfigParser.parse(ConfigWriter.toMap(c));
            assertEquals(ConfigWriter.toMap(c), ConfigWriter.toMap(back), preset);
            assertEquals(c.experiment().objective(), back.experiment().objective());
            assertEquals(c.sampling(), back.sampling());
        }
    }
}
