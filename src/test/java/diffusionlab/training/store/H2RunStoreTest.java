package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.RunConfig;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The store contract on the embedded H2 file in a temporary DATA_DIR. */
class H2RunStoreTest extends RunStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected JdbcRunStore open() {
        return JdbcRunStore.open(StoreSettings.defaults(dataDir.resolve("data")));
    }

    @Override
    protected DatabaseTarget emptyDatabase() {
        store.close();
        return DatabaseTarget.h2(dataDir.resolve("another"));
    }

    @BeforeEach
    void openStore() {
        store = open();
    }

    @Test
    void theDatabaseIsOneFileUnderTheDataDirectory() {
        assertTrue(Files.exists(dataDir.resolve("data").resolve(DatabaseTarget.H2_FILE + ".mv.db")));
        assertTrue(store.description().startsWith("H2 file "), store.description());
    }

    @Test
    void aSecondProcessOnTheSameFileIsToldItIsInUse() throws Exception {
        Path dir = dataDir.resolve("data");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OpenStoreMain.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(other.getInputStream().readAllBytes());
        other.waitFor();
        assertEquals(3, other.exitValue(), out);
        assertTrue(out.contains("in use by another process"), out);
    }

    @Test
    void anUnwritableDataDirectoryIsAClearError() throws Exception {
        Path file = dataDir.resolve("a-file");
        Files.writeString(file, "not a directory");
        StoreException e = assertThrows(StoreException.class,
                () -> JdbcRunStore.open(StoreSettings.defaults(file.resolve("data"))));
        assertTrue(e.getMessage().contains("DATA_DIR"), e.getMessage());
    }

    @Test
    void anEmptyDatabaseFileIsRefusedRatherThanStartedOnAsANewStore() throws Exception {
        Path dir = Files.createDirectories(dataDir.resolve("empty"));
        Path file = Files.createFile(dir.resolve(DatabaseTarget.H2_FILE + ".mv.db"));

        StoreException e = assertThrows(StoreException.class, () -> JdbcRunStore.open(StoreSettings.defaults(dir)));

        assertSaysWhatToDo(e, file, "0 bytes");
        assertEquals(0, Files.size(file), "the file is left as it was");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "binary", "short"})
    void aFileThatIsNotAnH2DatabaseIsRefused(String kind) throws Exception {
        Path dir = Files.createDirectories(dataDir.resolve(kind));
        Path file = dir.resolve(DatabaseTarget.H2_FILE + ".mv.db");
        byte[] content = switch (kind) {
            case "text" -> "id,name\n1,not a database\n".repeat(500).getBytes();
            case "binary" -> new byte[20_000];
            default -> new byte[] {'H', '2'};
        };
        if (kind.equals("binary")) {
            new java.util.Random(1).nextBytes(content);
        }
        Files.write(file, content);

        StoreException e = assertThrows(StoreException.class, () -> JdbcRunStore.open(StoreSettings.defaults(dir)));

        assertSaysWhatToDo(e, file, kind.equals("short") ? "too few for an H2 database" : "not an H2 database");
    }

    @Test
    void aDatabaseOfAnotherApplicationIsRefusedAndLeftAlone() throws Exception {
        Path dir = Files.createDirectories(dataDir.resolve("foreign"));
        String url = DatabaseTarget.h2(dir).jdbcUrl();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("CREATE TABLE people (id INT)");
        }

        StoreException e = assertThrows(StoreException.class, () -> JdbcRunStore.open(StoreSettings.defaults(dir)));

        assertSaysWhatToDo(e, dir.resolve(DatabaseTarget.H2_FILE + ".mv.db"), "PEOPLE");
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "no table of ours was added");
        }
    }

    private static void assertSaysWhatToDo(StoreException e, Path file, String what) {
        assertTrue(e.getMessage().contains(file.toAbsolutePath().normalize().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertTrue(e.getMessage().contains("DATA_DIR"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aNameStoredBeforeBidiControlsWereRefusedKeepsItsRunWithoutThem() {
        RunConfig config = JdbcRunStore.parseConfig("{\"name\": \"\u202Eevil\u2028name\"}");
        assertEquals("evilname", config.name());
    }

    /** Guards the choice of H2 version: the space of overwritten checkpoints is reused, the file levels off. */
    @Test
    void overwrittenCheckpointsDoNotGrowTheFileWithoutBound() throws Exception {
        store.write(StoreFixtures.insert("r", 1));
        int params = 72_066; // the notebook model: 1.15 MB per checkpoint
        float[] w = StoreFixtures.ramp(params, 1e-3f);
        Path file = dataDir.resolve("data").resolve(DatabaseTarget.H2_FILE + ".mv.db");
        long start = System.nanoTime();
        long middle = 0;
        for (int step = 1; System.nanoTime() - start < 16_000_000_000L; step++) {
            RunChanges c = new RunChanges("r");
            w[step % params] += 1;
            c.checkpoint(new Checkpoint(step, w.clone(), w.clone(), w.clone(), w.clone()));
            store.write(c); // about 6 MB/s, 30 times what two notebook runs checkpointing every 10 s write
            Thread.sleep(200);
            if (middle == 0 && System.nanoTime() - start > 8_000_000_000L) {
                middle = Files.size(file);
            }
        }
        long end = Files.size(file);
        assertTrue(end < middle * 5 / 4 + 5_000_000, "the file grew from " + middle / 1_000_000 + " MB to "
                + end / 1_000_000 + " MB in 8 s of overwriting one checkpoint");
    }

    /** Opens the store in another JVM; exits 3 with the message when that fails. */
    public static final class OpenStoreMain {
        public static void main(String[] args) {
            try (JdbcRunStore s = JdbcRunStore.open(StoreSettings.defaults(Path.of(args[0])))) {
                System.out.println("opened " + s.description());
            } catch (StoreException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }
}
