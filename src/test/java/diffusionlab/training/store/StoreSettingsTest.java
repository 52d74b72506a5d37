package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    @Test
    void defaultsAreAnEmbeddedDatabaseInDotSlashData() {
        StoreSettings s = StoreSettings.fromEnvironment(Map.of());
        assertEquals(Path.of("data"), s.dataDir());
        assertNull(s.databaseUrl());
        assertTrue(s.target().isH2());
        assertEquals(CheckpointPolicy.DEFAULT, s.checkpoints());
        assertEquals(new PrunePolicy(200, 0), s.retention());
    }

    @Test
    void everyVariableIsRead() {
        StoreSettings s = StoreSettings.fromEnvironment(Map.of("DATA_DIR", "/var/lab", "DATABASE_URL",
                "postgres://u:p@h:5432/db", "CHECKPOINT_EVERY_STEPS", "1000", "CHECKPOINT_EVERY_SECONDS", "3",
                "KEEP_FINISHED_RUNS", "50", "KEEP_FINISHED_DAYS", "7"));
        assertEquals(Path.of("/var/lab"), s.dataDir());
        assertEquals("jdbc:postgresql://h:5432/db", s.target().jdbcUrl());
        assertEquals(new CheckpointPolicy(1000, 3000), s.checkpoints());
        assertEquals(new PrunePolicy(50, 7 * 86_400_000L), s.retention());
    }

    @Test
    void badValuesNameTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreSettings.fromEnvironment(Map.of("KEEP_FINISHED_RUNS", "lots")));
        assertTrue(e.getMessage().contains("$KEEP_FINISHED_RUNS"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StoreSettings.fromEnvironment(Map.of("DATABASE_URL", "sqlite:foo")));
        assertTrue(e.getMessage().contains("$DATABASE_URL"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> StoreSettings.fromEnvironment(Map.of("CHECKPOINT_EVERY_SECONDS", "0")));
    }
}
