package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL the {@code postgres}-tagged tests use: {@code TEST_DATABASE_URL} in the DATABASE_URL
 * forms. Without it the tests fail in CI ({@code CI=true}: the CI script must provide one) and are skipped,
 * saying so, elsewhere.
 */
public final class PostgresTestDatabase {
    private PostgresTestDatabase() {
    }

    /** The database, emptied of this app's tables. */
    public static DatabaseTarget fresh() {
        String url = System.getenv("TEST_DATABASE_URL");
        if (url == null || url.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests must run in CI "
                        + "(.ci/run starts PostgreSQL and exports it)");
            }
            Assumptions.abort("TEST_DATABASE_URL is not set: PostgreSQL tests skipped "
                    + "(set it to postgres://user:password@localhost:5432/db to run them)");
        }
        DatabaseTarget target = DatabaseTarget.fromUrl(url);
        execute(target, "DROP TABLE IF EXISTS dl_checkpoints, dl_frames, dl_metric, dl_loss, dl_runs, dl_schema, dl_shared, "
                + Schema.HISTORY);
        return target;
    }

    /** Runs one statement on its own connection. */
    public static void execute(DatabaseTarget target, String sql) {
        Properties props = new Properties();
        if (target.user() != null) {
            props.setProperty("user", target.user());
        }
        if (target.password() != null) {
            props.setProperty("password", target.password());
        }
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), props); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("on " + target + ": " + e.getMessage(), e);
        }
    }
}
