package diffusionlab.training.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The tables, as Flyway migrations in {@code db/migration} (one SQL for H2 and PostgreSQL: BYTEA, VARCHAR,
 * BIGINT, REAL and DOUBLE PRECISION mean the same to both). A run is one row of {@code dl_runs}; its curves,
 * pictures and checkpoint parts hang off it by {@code run_id}, one curve point per (run, step). Applied
 * migrations are recorded in {@value #HISTORY}; {@code dl_schema} marks the database as ours and holds the
 * version the app had before migrations (1), which a database written then is baselined at.
 */
final class Schema {
    /** Flyway's record of the applied migrations, named so that another application's Flyway is never ours. */
    static final String HISTORY = "dl_schema_history";

    /** The advisory lock that one migrating process holds ("dl" + "migr" in ASCII, unlike Flyway's own). */
    private static final long MIGRATION_LOCK = 0x646c_6d69_6772L;

    private Schema() {
    }

    /**
     * The first few tables of a database that has tables but not ours: another application's, which this
     * app must not write into. Empty for a database of ours or an empty one.
     */
    static List<String> foreignTables(Connection c) throws SQLException {
        List<String> tables = tables(c, "TABLE_SCHEMA <> 'INFORMATION_SCHEMA'");
        if (tables.stream().anyMatch(t -> t.equalsIgnoreCase("dl_schema") || t.equalsIgnoreCase(HISTORY))) {
            return List.of();
        }
        return tables.size() > 5 ? List.copyOf(tables.subList(0, 5)) : tables;
    }

    /**
     * Brings the tables up to this app's version. A database written before migrations (our tables, no
     * history) is taken to be version 1; one written by a newer app is refused rather than misread.
     */
    static void migrate(Database db) {
        if (db.target().isH2()) {
            migrateAlone(db); // an embedded file is one process's
            return;
        }
        // Processes started together (a web and two workers) would each find the tables half made: Flyway
        // locks only once its history table exists, so a second process sees that table empty and refuses to
        // baseline it. One migration at a time, by a session-level advisory lock the server frees if we die.
        try (Connection c = db.dataSource().getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            }
            try {
                migrateAlone(db);
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not bring the tables of " + db.target() + " up to date: "
                    + StoreFaults.describe(e), e);
        }
    }

    private static void migrateAlone(Database db) {
        boolean fromBeforeMigrations = db.transaction(c -> {
            List<String> tables = tables(c, "TABLE_SCHEMA = CURRENT_SCHEMA");
            return tables.stream().anyMatch(t -> t.equalsIgnoreCase("dl_schema"))
                    && tables.stream().noneMatch(t -> t.equalsIgnoreCase(HISTORY));
        });
        Flyway flyway = Flyway.configure(Schema.class.getClassLoader())
                .dataSource(db.dataSource())
                .table(HISTORY)
                // Tables but no history: ours from before migrations (version 1, already there), or on a shared
                // PostgreSQL database other applications' tables (version 0: every migration still to apply).
                .baselineOnMigrate(true)
                .baselineVersion(fromBeforeMigrations ? "1" : "0")
                .baselineDescription(fromBeforeMigrations ? "tables from before migrations" : "other tables")
                .load();
        try {
            refuseNewer(flyway.info());
            flyway.migrate();
        } catch (FlywayException e) {
            throw new StoreException("could not bring the tables of " + db.target() + " up to date: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static void refuseNewer(MigrationInfoService info) {
        MigrationInfo current = info.current();
        if (current != null && (current.getState() == MigrationState.FUTURE_SUCCESS
                || current.getState() == MigrationState.FUTURE_FAILED)) {
            MigrationVersion ours = Arrays.stream(info.all()).filter(m -> m.getState().isResolved())
                    .map(MigrationInfo::getVersion).max(MigrationVersion::compareTo).orElse(MigrationVersion.EMPTY);
            throw new StoreException("the database holds schema version " + current.getVersion()
                    + ", newer than this app's " + ours + "; run the newer app or use another database");
        }
    }

    private static List<String> tables(Connection c, String where) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
                     + "WHERE " + where + " ORDER BY TABLE_NAME")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }
}
