package diffusionlab.training.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables, one definition for H2 and PostgreSQL (BYTEA, VARCHAR, BIGINT, REAL and DOUBLE PRECISION mean
 * the same to both). A run is one row of {@code dl_runs}; its curves, pictures and checkpoint parts hang off
 * it by {@code run_id}, one curve point per (run, step). Created when absent; {@code dl_schema} holds the
 * version for later migrations.
 */
final class Schema {
    static final int VERSION = 1;

    static final List<String> DDL = List.of(
            """
            CREATE TABLE IF NOT EXISTS dl_runs (
                id VARCHAR(32) PRIMARY KEY,
                owner_hash VARCHAR(256),
                created_at BIGINT NOT NULL,
                config_json VARCHAR NOT NULL,
                state VARCHAR(16) NOT NULL,
                step BIGINT NOT NULL,
                error VARCHAR(2000),
                finished_at BIGINT NOT NULL,
                checkpoint_step BIGINT NOT NULL
            )""",
            """
            CREATE TABLE IF NOT EXISTS dl_loss (
                run_id VARCHAR(32) NOT NULL REFERENCES dl_runs (id),
                step BIGINT NOT NULL,
                val REAL NOT NULL
            )""",
            "CREATE UNIQUE INDEX IF NOT EXISTS dl_loss_run ON dl_loss (run_id, step)",
            """
            CREATE TABLE IF NOT EXISTS dl_metric (
                run_id VARCHAR(32) NOT NULL REFERENCES dl_runs (id),
                step BIGINT NOT NULL,
                val DOUBLE PRECISION NOT NULL
            )""",
            "CREATE UNIQUE INDEX IF NOT EXISTS dl_metric_run ON dl_metric (run_id, step)",
            """
            CREATE TABLE IF NOT EXISTS dl_frames (
                run_id VARCHAR(32) NOT NULL REFERENCES dl_runs (id),
                kind VARCHAR(16) NOT NULL,
                step BIGINT NOT NULL,
                payload BYTEA NOT NULL,
                PRIMARY KEY (run_id, kind)
            )""",
            """
            CREATE TABLE IF NOT EXISTS dl_checkpoints (
                run_id VARCHAR(32) NOT NULL REFERENCES dl_runs (id),
                part VARCHAR(8) NOT NULL,
                step BIGINT NOT NULL,
                payload BYTEA NOT NULL,
                PRIMARY KEY (run_id, part)
            )""",
            "CREATE TABLE IF NOT EXISTS dl_schema (version INT NOT NULL)");

    private Schema() {
    }

    /**
     * The first few tables of a database that has tables but not ours: another application's, which this
     * app must not write into. Empty for a database of ours or an empty one.
     */
    static List<String> foreignTables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
                     + "WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA' ORDER BY TABLE_NAME")) {
            while (rs.next()) {
                if (rs.getString(1).equalsIgnoreCase("dl_schema")) {
                    return List.of();
                }
                tables.add(rs.getString(1));
            }
        }
        return tables.size() > 5 ? List.copyOf(tables.subList(0, 5)) : tables;
    }

    /** Creates what is missing; a database written by a newer schema is refused rather than misread. */
    static void ensure(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : DDL) {
                s.execute(ddl);
            }
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM dl_schema")) {
                rs.next();
                int version = rs.getInt(1);
                if (rs.wasNull()) {
                    s.executeUpdate("INSERT INTO dl_schema (version) VALUES (" + VERSION + ")");
                } else if (version > VERSION) {
                    throw new StoreException("the database holds schema version " + version
                            + ", newer than this app's " + VERSION + "; run the newer app or use another database");
                }
            }
        }
    }
}
