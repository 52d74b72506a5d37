package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseTargetTest {

    @Test
    void aPaasUrlBecomesAJdbcUrlWithSeparateCredentials() {
        DatabaseTarget t = DatabaseTarget.fromUrl("postgres://lab:s3cr%40t@db.example.com:6543/diffusion");
        assertEquals("jdbc:postgresql://db.example.com:6543/diffusion", t.jdbcUrl());
        assertEquals("lab", t.user());
        assertEquals("s3cr@t", t.password());
        assertFalse(t.toString().contains("s3cr"), t.toString());
        assertFalse(t.isH2());
    }

    @Test
    void postgresqlSchemeDefaultPortAndQueryParametersAreKept() {
        DatabaseTarget t = DatabaseTarget.fromUrl("postgresql://u@localhost/db?sslmode=require");
        assertEquals("jdbc:postgresql://localhost:5432/db?sslmode=require", t.jdbcUrl());
        assertEquals("u", t.user());
        assertNull(t.password());
    }

    @Test
    void aJdbcUrlIsUsedAsIs() {
        String url = "jdbc:postgresql://h:5432/db?user=a&password=b";
        DatabaseTarget t = DatabaseTarget.fromUrl(url);
        assertEquals(url, t.jdbcUrl());
        assertNull(t.user());
        assertFalse(t.toString().contains("password"), t.toString());
    }

    @Test
    void unusableUrlsSayWhatIsExpected() {
        for (String bad : new String[] {"mysql://u:p@h/db", "postgres://u:p@h", "postgres://u:p@h/", "postgres:///db",
                "postgres://h:notaport/db"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseTarget.fromUrl(bad), bad);
            assertTrue(e.getMessage().contains("postgres://user:password@host:5432/dbname"), e.getMessage());
        }
    }

    @Test
    void theEmbeddedDatabaseIsAFileUnderTheDataDirectory() {
        DatabaseTarget t = DatabaseTarget.h2(Path.of("some/dir"));
        assertTrue(t.isH2());
        assertTrue(t.jdbcUrl().startsWith("jdbc:h2:file:" + Path.of("some/dir").toAbsolutePath().resolve("diffusionlab")),
                t.jdbcUrl());
        assertTrue(t.jdbcUrl().contains("DB_CLOSE_ON_EXIT=FALSE"));
    }
}
