package diffusionlab.training.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.ConfigParser;
import diffusionlab.training.ConfigWriter;
import diffusionlab.training.RunConfig;
import diffusionlab.training.PictureKind;
import diffusionlab.training.RunEvent;
import diffusionlab.training.RunHistory;
import diffusionlab.training.RunState;
import diffusionlab.training.StepSeries;
import diffusionlab.training.UserText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RunStore} on plain JDBC, the same SQL for the embedded H2 file and for PostgreSQL (see
 * {@link Schema}). Configs are stored as the JSON clients send and read back through {@link ConfigParser};
 * curves as one row per point; pictures and checkpoint parts as little-endian float blobs. Every write is
 * idempotent (a run is inserted once, a curve point once per step, pictures and checkpoints replaced), so a
 * write retried after an ambiguous failure (a commit whose answer was lost, a failed flush to disk after the
 * commit) never duplicates anything.
 */
public final class JdbcRunStore implements RunStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcRunStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR = 2000;
    static final String[] PARTS = {"raw", "ema", "adam_m", "adam_v"};
    /** An H2 file starts with two 4 KB header blocks; a shorter one is not a database. */
    private static final int H2_HEADERS = 8192;

    private final Database db;
    private volatile boolean notifies;

    private JdbcRunStore(Database db) {
        this.db = db;
    }

    /**
     * For the web and worker roles on PostgreSQL (docs/SCALING.md): a new or deleted run, and a worker's changed
     * pictures, are announced with a NOTIFY in the transaction that writes them.
     */
    public JdbcRunStore notifying() {
        if (db.target().isH2()) {
            throw new IllegalStateException("processes share runs only through PostgreSQL");
        }
        notifies = true;
        return this;
    }

    /** The queue that worker {@code worker} claims runs from (PostgreSQL). */
    public RunQueue queue(String worker) {
        return new RunQueue(db, worker);
    }

    /** The documents the web instances share (PostgreSQL): the class's presentation and switches. */
    public SharedRows shared() {
        return new SharedRows(db);
    }

    /** Writes a worker's curve points and publishes them with the run's status (PostgreSQL). */
    public LivePublisher publisher(LivePublisher.LeaseLost onLost) {
        return new LivePublisher(db, onLost);
    }

    /**
     * Listens for what other processes announce on these channels, on a connection of its own (PostgreSQL): a
     * web instance hears {@link LiveNotice#LIVE} and {@link LiveNotice#RUNS}, a worker only the latter.
     */
    public LiveBus bus(LiveBus.Listener listener, String... channels) {
        return new LiveBus(db.target(), List.of(channels), listener);
    }

    /** Whether the database answers now (for a web instance's 503). */
    public void requireReachable() {
        db.transaction(c -> null);
    }

    /** Opens the database the settings name (creating DATA_DIR and the tables when absent). */
    public static JdbcRunStore open(StoreSettings settings) {
        if (settings.databaseUrl() == null) {
            try {
                Files.createDirectories(settings.dataDir());
            } catch (Exception e) {
                throw new StoreException("cannot create DATA_DIR " + settings.dataDir().toAbsolutePath() + ": " + e, e);
            }
        }
        return open(settings.target());
    }

    /**
     * Opens the database, creating or updating the tables (see {@link Schema}). The embedded file must be a
     * Diffusion Lab store or not exist yet: an empty file, a file that is not an H2 database, or one holding only
     * another application's tables is refused, rather than started on as a new, empty store.
     */
    public static JdbcRunStore open(DatabaseTarget target) {
        long size = target.file() == null ? -1 : fileSize(target.file());
        if (size >= 0 && size < H2_HEADERS) {
            throw notOurs(target, "holds " + size + " bytes, too few for an H2 database", null);
        }
        Database db = null;
        try {
            db = new Database(target);
            if (target.file() != null) {
                List<String> foreign = db.transaction(Schema::foreignTables);
                if (!foreign.isEmpty()) {
                    throw notOurs(target, "holds another application's tables (" + String.join(", ", foreign)
                            + ") and none of ours", null);
                }
            }
            Schema.migrate(db);
            return new JdbcRunStore(db);
        } catch (StoreException e) {
            closeIfOpened(db);
            throw target.file() != null && StoreFaults.isDamagedFile(e)
                    ? notOurs(target, "is damaged or not an H2 database", e) : e;
        } catch (RuntimeException e) {
            closeIfOpened(db);
            throw new StoreException("could not open " + target + ": " + e, e);
        }
    }

    private static void closeIfOpened(Database db) {
        if (db != null) {
            db.close();
        }
    }

    /** The file's size, or -1 when there is none yet (or it cannot be read: opening it then says why). */
    private static long fileSize(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static StoreException notOurs(DatabaseTarget target, String what, Throwable cause) {
        return new StoreException(target + " " + what + ", so it is not a Diffusion Lab store; move it out of "
                + "DATA_DIR (a new store is then created) or point DATA_DIR at the directory that holds your runs",
                cause);
    }

    @Override
    public String description() {
        return db.target().description();
    }

    // --- writing ----------------------------------------------------------------------------------------

    @Override
    public void write(RunChanges ch) {
        if (ch.isEmpty()) {
            return;
        }
        db.transaction(c -> {
            String id = ch.runId();
            if (ch.lease() >= 0) {
                requireLease(c, id, ch.lease());
            }
            if (ch.insert() != null) {
                insertRun(c, ch.insert());
                if (notifies) {
                    RunQueue.notify(c, LiveNotice.RUNS, new LiveNotice.RunChange(LiveNotice.RunChange.CREATED, id).json());
                }
            }
            if (ch.truncateAfter() >= 0) {
                update(c, "DELETE FROM dl_loss WHERE run_id = ? AND step > ?", id, ch.truncateAfter());
                update(c, "DELETE FROM dl_metric WHERE run_id = ? AND step > ?", id, ch.truncateAfter());
            }
            appendLoss(c, id, ch.lossSteps(), ch.lossValues());
            appendMetric(c, id, ch.metricSteps(), ch.metricValues());
            Map<PictureKind, Long> changed = new EnumMap<>(PictureKind.class);
            for (RunEvent.Picture p : ch.pictures()) {
                replacePicture(c, id, p.kind(), p.trainingStep(), PictureCodec.encode(p));
                changed.put(p.kind(), p.trainingStep());
            }
            if (notifies && !changed.isEmpty()) {
                RunQueue.notify(c, LiveNotice.LIVE, LiveNotice.pictures(id, changed).json());
            }
            if (ch.checkpoint() != null) {
                replaceCheckpoint(c, id, ch.checkpoint());
            }
            if (ch.status() != null) {
                RunChanges.Status s = ch.status();
                update(c, "UPDATE dl_runs SET state = ?, step = ?, error = ?, finished_at = CASE WHEN finished_at = 0 "
                        + "THEN ? ELSE finished_at END WHERE id = ?", s.state().name(), s.step(), clip(s.error()),
                        s.finishedAtMillis(), id);
            }
            return null;
        });
        if (db.target().isH2() && mustReachTheFile(ch)) {
            db.transaction(c -> {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("CHECKPOINT SYNC"); // H2 writes commits in the background; these go to disk now
                }
                return null;
            });
        }
    }

    /** Locks the run's row and checks the worker still holds it: else nothing of this write happens. */
    static void requireLease(Connection c, String id, long generation) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT lease_gen FROM dl_runs WHERE id = ? FOR UPDATE")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next() || rs.getLong(1) != generation) {
                    throw new LeaseLostException(id);
                }
            }
        }
    }

    /** A new run, a checkpoint or a run's end: what a killed process must not lose. */
    private static boolean mustReachTheFile(RunChanges ch) {
        return ch.insert() != null || ch.checkpoint() != null
                || (ch.status() != null && ch.status().state().isTerminal());
    }

    private static void insertRun(Connection c, StoredRun r) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM dl_runs WHERE id = ?")) {
            exists.setString(1, r.id());
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return; // written by an earlier attempt whose answer was lost
                }
            }
        }
        update(c, "INSERT INTO dl_runs (id, owner_hash, created_at, config_json, state, step, error, finished_at, "
                        + "checkpoint_step) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", r.id(), r.ownerHash(), r.createdAtMillis(),
                configJson(r.config()), r.state().name(), r.step(), clip(r.error()), r.finishedAtMillis(),
                r.checkpointStep());
    }

    static void appendLoss(Connection c, String id, long[] steps, float[] values) throws SQLException {
        if (steps.length == 0) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement(appendOnce("dl_loss"))) {
            for (int i = 0; i < steps.length; i++) {
                p.setString(1, id);
                p.setLong(2, steps[i]);
                p.setFloat(3, values[i]);
                p.setString(4, id);
                p.setLong(5, steps[i]);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    static void appendMetric(Connection c, String id, long[] steps, double[] values) throws SQLException {
        if (steps.length == 0) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement(appendOnce("dl_metric"))) {
            for (int i = 0; i < steps.length; i++) {
                p.setString(1, id);
                p.setLong(2, steps[i]);
                p.setDouble(3, values[i]);
                p.setString(4, id);
                p.setLong(5, steps[i]);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Inserts a curve point unless the run has one at that step (portable: no MERGE or ON CONFLICT needed). */
    private static String appendOnce(String table) {
        return "INSERT INTO " + table + " (run_id, step, val) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM " + table
                + " WHERE run_id = ? AND step = ?)";
    }

    /** A run's newest picture of a kind: one row of {@code dl_frames} per (run, kind). */
    private static void replacePicture(Connection c, String id, PictureKind kind, long step, byte[] payload)
            throws SQLException {
        update(c, "DELETE FROM dl_frames WHERE run_id = ? AND kind = ?", id, kind.id());
        update(c, "INSERT INTO dl_frames (run_id, kind, step, payload) VALUES (?, ?, ?, ?)", id, kind.id(), step,
                payload);
    }

    private static void replaceCheckpoint(Connection c, String id, Checkpoint k) throws SQLException {
        update(c, "DELETE FROM dl_checkpoints WHERE run_id = ?", id);
        float[][] parts = {k.raw(), k.ema(), k.adamM(), k.adamV()};
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO dl_checkpoints (run_id, part, step, payload) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < PARTS.length; i++) {
                p.setString(1, id);
                p.setString(2, PARTS[i]);
                p.setLong(3, k.step());
                p.setBytes(4, LittleEndian.floats(parts[i]));
                p.executeUpdate();
            }
        }
        update(c, "UPDATE dl_runs SET checkpoint_step = ? WHERE id = ?", k.step(), id);
    }

    @Override
    public boolean delete(String id) {
        return db.transaction(c -> {
            for (String table : new String[] {"dl_loss", "dl_metric", "dl_frames", "dl_checkpoints"}) {
                update(c, "DELETE FROM " + table + " WHERE run_id = ?", id);
            }
            boolean deleted = update(c, "DELETE FROM dl_runs WHERE id = ?", id) > 0;
            if (deleted && notifies) {
                RunQueue.notify(c, LiveNotice.RUNS, new LiveNotice.RunChange(LiveNotice.RunChange.DELETED, id).json());
            }
            return deleted;
        });
    }

    @Override
    public Optional<StoredRun> loadRun(String id) {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement(SELECT_RUN + " WHERE id = ?")) {
                p.setString(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(storedRun(rs)) : Optional.<StoredRun>empty();
                }
            }
        });
    }

    /** The run's stored pictures of these kinds (a web instance reads each changed one once). */
    public List<RunEvent.Picture> loadPictures(String id, java.util.Collection<PictureKind> kinds) {
        return db.transaction(c -> {
            List<RunEvent.Picture> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT kind, payload FROM dl_frames WHERE run_id = ?")) {
                p.setString(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        PictureKind kind = PictureKind.byId(rs.getString(1));
                        if (kind != null && kinds.contains(kind)) {
                            RunEvent.Picture picture = decode(id, rs.getString(1), rs.getBytes(2));
                            if (picture != null) {
                                out.add(picture);
                            }
                        }
                    }
                }
            }
            return out;
        });
    }

    /** A run's curve points after {@code afterStep} (a web instance catching up after its bus reconnected). */
    public RunHistory loadCurvesAfter(String id, long afterStep) {
        return db.transaction(c -> {
            StepSeries loss = series(c, "SELECT step, val FROM dl_loss WHERE run_id = ? AND step > " + afterStep
                    + " ORDER BY step", id);
            StepSeries metric = series(c, "SELECT step, val FROM dl_metric WHERE run_id = ? AND step > " + afterStep
                    + " ORDER BY step", id);
            return new RunHistory(loss.steps(), loss.floatValues(), metric.steps(), metric.values(),
                    new EnumMap<>(PictureKind.class));
        });
    }

    // --- reading ----------------------------------------------------------------------------------------

    @Override
    public List<StoredRun> loadRuns() {
        return db.transaction(c -> {
            List<StoredRun> runs = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(SELECT_RUN + " ORDER BY created_at, id");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    StoredRun run = storedRun(rs);
                    if (run != null) {
                        runs.add(run);
                    }
                }
            }
            return runs;
        });
    }

    private static final String SELECT_RUN = "SELECT id, owner_hash, created_at, config_json, state, step, error, "
            + "finished_at, checkpoint_step FROM dl_runs";

    /** The row as a run, or null (logged) when this version cannot read it: it stays stored, untouched. */
    private static StoredRun storedRun(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        try {
            return new StoredRun(id, rs.getString(2), rs.getLong(3), parseConfig(rs.getString(4)),
                    RunState.valueOf(rs.getString(5)), rs.getLong(6), rs.getString(7), rs.getLong(8), rs.getLong(9));
        } catch (RuntimeException e) {
            LOG.warn("skipping stored run {}: {}", id, e.getMessage());
            return null;
        }
    }

    @Override
    public RunHistory loadHistory(String id) {
        return db.transaction(c -> {
            StepSeries loss = series(c, "SELECT step, val FROM dl_loss WHERE run_id = ? ORDER BY step", id);
            StepSeries metric = series(c, "SELECT step, val FROM dl_metric WHERE run_id = ? ORDER BY step", id);
            Map<PictureKind, RunEvent.Picture> pictures = new EnumMap<>(PictureKind.class);
            try (PreparedStatement p = c.prepareStatement("SELECT kind, payload FROM dl_frames WHERE run_id = ?")) {
                p.setString(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        RunEvent.Picture picture = decode(id, rs.getString(1), rs.getBytes(2));
                        if (picture != null) {
                            pictures.put(picture.kind(), picture);
                        }
                    }
                }
            }
            return new RunHistory(loss.steps(), loss.floatValues(), metric.steps(), metric.values(), pictures);
        });
    }

    private static StepSeries series(Connection c, String sql, String id) throws SQLException {
        StepSeries s = new StepSeries();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    s.add(rs.getLong(1), rs.getDouble(2));
                }
            }
        }
        return s;
    }

    /** A picture that cannot be read (or of a kind this version does not know) is left out; the log says which. */
    private static RunEvent.Picture decode(String id, String kindId, byte[] blob) {
        PictureKind kind = PictureKind.byId(kindId);
        if (kind == null) {
            LOG.warn("run {}: skipping a stored picture of unknown kind '{}'", id, kindId);
            return null;
        }
        try {
            return PictureCodec.decode(kind, blob);
        } catch (RuntimeException e) {
            LOG.warn("run {}: unreadable stored picture ({})", id, e.getMessage());
            return null;
        }
    }

    @Override
    public Optional<Checkpoint> loadCheckpoint(String id) {
        return db.transaction(c -> {
            Map<String, float[]> parts = new HashMap<>();
            long step = -1;
            try (PreparedStatement p = c.prepareStatement("SELECT part, step, payload FROM dl_checkpoints WHERE run_id = ?")) {
                p.setString(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        parts.put(rs.getString(1), LittleEndian.floats(rs.getBytes(3)));
                        step = rs.getLong(2);
                    }
                }
            }
            if (!parts.keySet().containsAll(Arrays.asList(PARTS))) {
                return Optional.empty();
            }
            return Optional.of(new Checkpoint(step, parts.get("raw"), parts.get("ema"), parts.get("adam_m"),
                    parts.get("adam_v")));
        });
    }

    @Override
    public Optional<float[]> loadWeights(String id, boolean ema) {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT payload FROM dl_checkpoints WHERE run_id = ? AND part = ?")) {
                p.setString(1, id);
                p.setString(2, ema ? "ema" : "raw");
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(LittleEndian.floats(rs.getBytes(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void close() {
        db.close();
    }

    /** For tests: ends the pooled connections' sessions as a restarted database server would. */
    void dropConnections() throws SQLException {
        db.dropConnections();
    }

    // --- helpers ----------------------------------------------------------------------------------------

    static String configJson(RunConfig config) {
        try {
            return JSON.writeValueAsString(ConfigWriter.toMap(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a run config as JSON", e);
        }
    }

    /** A run's stored config; a name from before {@link UserText}'s characters were refused loses them. */
    @SuppressWarnings("unchecked")
    static RunConfig parseConfig(String json) {
        try {
            Map<String, Object> fields = JSON.readValue(json, Map.class);
            fields.computeIfPresent("name", (k, name) -> name instanceof String s ? UserText.withoutRefused(s) : name);
            return ConfigParser.parse(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored config is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String clip(String s) {
        return s == null || s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR - 1) + "…";
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof byte[] bytes) {
                    p.setBytes(i + 1, bytes);
                } else if (a instanceof Long l) {
                    p.setLong(i + 1, l);
                } else if (a == null) {
                    p.setNull(i + 1, java.sql.Types.VARCHAR);
                } else {
                    p.setObject(i + 1, a);
                }
            }
            return p.executeUpdate();
        }
    }
}
