package diffusionlab.training.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database as the app wrote it before it used migrations: its tables (kept as the V1 migration) with version
 * 1 in {@code dl_schema} and no migration history, holding one finished run with a loss point and a checkpoint.
 */
final class StoreBeforeMigrations {
    static final String RUN = "old";
    static final float[] WEIGHTS = {0.25f, -0.5f, 1f};

    private StoreBeforeMigrations() {
    }

    static void write(DatabaseTarget target) throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             Statement s = c.createStatement()) {
            for (String ddl : v1().split(";")) {
                if (!ddl.isBlank()) {
                    s.execute(ddl);
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO dl_runs (id, owner_hash, created_at, config_json, "
                    + "state, step, error, finished_at, checkpoint_step) VALUES (?, 'owner', 1000, ?, 'DONE', 3000, NULL, "
                    + "2000, 3000)")) {
                p.setString(1, RUN);
                p.setString(2, JdbcRunStore.configJson(StoreFixtures.config("from before migrations")));
                p.executeUpdate();
            }
            s.execute("INSERT INTO dl_loss (run_id, step, val) VALUES ('" + RUN + "', 3000, 0.5)");
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO dl_checkpoints (run_id, part, step, payload) VALUES (?, ?, 3000, ?)")) {
                for (String part : JdbcRunStore.PARTS) {
                    p.setString(1, RUN);
                    p.setString(2, part);
                    p.setBytes(3, LittleEndian.floats(WEIGHTS));
                    p.executeUpdate();
                }
            }
        }
    }

    /** The V1 migration without its comments: the statements Schema.ensure ran, and its insert of version 1. */
    private static String v1() throws IOException {
        try (InputStream in = StoreBeforeMigrations.class.getResourceAsStream("/db/migration/V1__runs.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
        }
    }
}
