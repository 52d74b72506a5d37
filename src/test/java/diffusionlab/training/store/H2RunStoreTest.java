package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 file in a temporary DATA_DIR. */
class H2RunStoreTest extends RunStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected JdbcRunStore open() {
        return JdbcRunStore.open(StoreSettings.defaults(dataDir.resolve("data")));
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
