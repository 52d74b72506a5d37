package diffusionlab.training.store;

import diffusionlab.training.RunHistory;
import static diffusionlab.training.store.StoreFixtures.checkpoint;
import static diffusionlab.training.store.StoreFixtures.field;
import static diffusionlab.training.store.StoreFixtures.frames;
import static diffusionlab.training.store.StoreFixtures.insert;
import static diffusionlab.training.store.StoreFixtures.ramp;
import static diffusionlab.training.store.StoreFixtures.samples;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.Trainer;
import diffusionlab.engine.nn.ParamLayout;
import diffusionlab.training.ConfigFields;
import diffusionlab.training.ConfigParser;
import diffusionlab.training.ConfigWriter;
import diffusionlab.training.RunConfig;
import diffusionlab.training.PictureKind;
import diffusionlab.training.RunEvent;
import diffusionlab.training.RunState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link JdbcRunStore} must do, whichever database is behind it (H2 and PostgreSQL subclasses). */
abstract class RunStoreContract {
    protected JdbcRunStore store;

    /** A store on an empty database (the same database each call within one test). */
    protected abstract JdbcRunStore open();

    /** Closes the store and gives another empty database. */
    protected abstract DatabaseTarget emptyDatabase();

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private JdbcRunStore reopen() {
        store.close();
        store = open();
        return store;
    }

    @Test
    void aRunRoundTripsWithItsHistoryPicturesAndCheckpoint() {
        RunChanges c = insert("r1", 1000);
        c.loss(new long[] {10, 20, 30}, new float[] {1.5f, 1.25f, 1f});
        c.metric(20, 0.75);
        c.picture(new RunEvent.Data(ramp(4000, 0.5f)));
        c.picture(frames(PictureKind.FORWARD, 0));
        c.picture(frames(PictureKind.REVERSE, 30));
        c.picture(field(30));
        c.picture(samples(30));
        c.checkpoint(checkpoint(30, 5000));
        c.status(new RunChanges.Status(RunState.RUNNING, 30, null, 0));
        store.write(c);
        RunChanges more = new RunChanges("r1");
        more.loss(new long[] {40}, new float[] {0.5f});
        more.metric(40, 0.5);
        more.status(new RunChanges.Status(RunState.DONE, 40, null, 5555));
        store.write(more);

        reopen();
        List<StoredRun> runs = store.loadRuns();
        assertEquals(1, runs.size());
        StoredRun r = runs.get(0);
        assertEquals("r1", r.id());
        assertEquals("owner-r1", r.ownerHash());
        assertEquals(1000, r.createdAtMillis());
        assertEquals(RunState.DONE, r.state());
        assertEquals(40, r.step());
        assertEquals(5555, r.finishedAtMillis());
        assertEquals(30, r.checkpointStep());
        assertEquals(ConfigWriter.toMap(StoreFixtures.config("run r1")), ConfigWriter.toMap(r.config()));

        RunHistory h = store.loadHistory("r1");
        assertArrayEquals(new long[] {10, 20, 30, 40}, h.lossSteps());
        assertArrayEquals(new float[] {1.5f, 1.25f, 1f, 0.5f}, h.lossValues());
        assertArrayEquals(new long[] {20, 40}, h.metricSteps());
        assertArrayEquals(new double[] {0.75, 0.5}, h.metricValues());
        assertArrayEquals(ramp(4000, 0.5f), h.data());
        assertEquals(PictureKind.FORWARD, h.picture(PictureKind.FORWARD).kind());
        assertArrayEquals(frames(PictureKind.REVERSE, 30).clouds()[2], h.picture(PictureKind.REVERSE, RunEvent.Frames.class).clouds()[2]);
        assertEquals(30, h.picture(PictureKind.REVERSE, RunEvent.Frames.class).trainingStep());
        assertArrayEquals(field(30).vectors()[1], h.picture(PictureKind.FIELD, RunEvent.Field.class).vectors()[1]);
        assertArrayEquals(samples(30).cloud(), h.picture(PictureKind.SAMPLES, RunEvent.Samples.class).cloud());

        Checkpoint k = store.loadCheckpoint("r1").orElseThrow();
        assertEquals(30, k.step());
        assertArrayEquals(checkpoint(30, 5000).adamV(), k.adamV());
        assertArrayEquals(checkpoint(30, 5000).ema(), store.loadWeights("r1", true).orElseThrow());
        assertArrayEquals(checkpoint(30, 5000).raw(), store.loadWeights("r1", false).orElseThrow());
    }

    @Test
    void newerPicturesAndCheckpointsReplaceOlderOnesAndTheFinishTimeIsKept() {
        store.write(insert("r", 1));
        for (int step = 1; step <= 3; step++) {
            RunChanges c = new RunChanges("r");
            c.picture(samples(step));
            c.checkpoint(checkpoint(step, 10));
            c.status(new RunChanges.Status(step < 3 ? RunState.RUNNING : RunState.FAILED, step, "e" + step,
                    step < 3 ? 0 : 900 + step));
            store.write(c);
        }
        RunChanges later = new RunChanges("r");
        later.status(new RunChanges.Status(RunState.FAILED, 3, "e3", 5000));
        store.write(later);
        assertEquals(3, store.loadHistory("r").picture(PictureKind.SAMPLES, RunEvent.Samples.class).trainingStep());
        assertEquals(3, store.loadCheckpoint("r").orElseThrow().step());
        StoredRun r = store.loadRuns().get(0);
        assertEquals(903, r.finishedAtMillis());
        assertEquals("e3", r.error());
    }

    @Test
    void truncatingDropsOnlyTheCurvePointsAfterTheStep() {
        RunChanges c = insert("r", 1);
        c.loss(new long[] {100, 200, 300}, new float[] {3, 2, 1});
        c.metric(150, 1);
        c.metric(250, 2);
        store.write(c);
        RunChanges resumed = new RunChanges("r");
        resumed.truncateAfter(200);
        resumed.loss(new long[] {300}, new float[] {9});
        store.write(resumed);
        RunHistory h = store.loadHistory("r");
        assertArrayEquals(new long[] {100, 200, 300}, h.lossSteps());
        assertArrayEquals(new float[] {3, 2, 9}, h.lossValues());
        assertArrayEquals(new long[] {150}, h.metricSteps());
    }

    @Test
    void aWriteThatFailsHalfwayLeavesNothingBehind() {
        RunChanges c = insert("half", 1);
        c.loss(new long[] {1, 2}, new float[] {1, 2});
        c.checkpoint(checkpoint(2, 100));
        c.picture(new RunEvent.Samples(2, null, ramp(4, 1f), null)); // cannot be encoded: fails after the rows above
        assertThrows(RuntimeException.class, () -> store.write(c));
        assertTrue(store.loadRuns().isEmpty());
        assertEquals(0, store.loadHistory("half").lossSteps().length);
        assertTrue(store.loadCheckpoint("half").isEmpty());
        store.write(insert("next", 2)); // and the store goes on working
        assertEquals(1, store.loadRuns().size());
    }

    @Test
    void aWriteAppliedTwiceStoresEverythingOnce() {
        RunChanges c = insert("r", 1);
        c.loss(new long[] {10, 20}, new float[] {2, 1});
        c.metric(20, 0.5);
        c.picture(samples(20));
        c.checkpoint(checkpoint(20, 10));
        c.status(new RunChanges.Status(RunState.RUNNING, 20, null, 0));
        store.write(c);
        store.write(c); // e.g. retried after the commit succeeded but its answer, or the flush to disk, failed
        assertEquals(1, store.loadRuns().size());
        RunHistory h = store.loadHistory("r");
        assertArrayEquals(new long[] {10, 20}, h.lossSteps());
        assertArrayEquals(new long[] {20}, h.metricSteps());
        assertEquals(20, store.loadCheckpoint("r").orElseThrow().step());
    }

    @Test
    void deletingARunRemovesAllItsRows() {
        for (String id : new String[] {"keep", "drop"}) {
            RunChanges c = insert(id, id.length());
            c.loss(new long[] {1}, new float[] {1});
            c.metric(1, 1);
            c.picture(samples(1));
            c.checkpoint(checkpoint(1, 10));
            store.write(c);
        }
        assertTrue(store.delete("drop"));
        assertFalse(store.delete("drop"));
        assertEquals(List.of("keep"), store.loadRuns().stream().map(StoredRun::id).toList());
        RunHistory h = store.loadHistory("drop");
        assertEquals(0, h.lossSteps().length);
        assertEquals(0, h.metricSteps().length);
        assertNull(h.picture(PictureKind.SAMPLES, RunEvent.Samples.class));
        assertTrue(store.loadCheckpoint("drop").isEmpty());
        assertEquals(1, store.loadHistory("keep").lossSteps().length);
    }

    @Test
    void aStoreWrittenBeforeMigrationsOpensWithItsRuns() throws Exception {
        DatabaseTarget target = emptyDatabase();
        StoreBeforeMigrations.write(target);

        store = JdbcRunStore.open(target);

        assertEquals(List.of(StoreBeforeMigrations.RUN), store.loadRuns().stream().map(StoredRun::id).toList());
        assertEquals(RunState.DONE, store.loadRuns().get(0).state());
        assertArrayEquals(new long[] {3000}, store.loadHistory(StoreBeforeMigrations.RUN).lossSteps());
        assertArrayEquals(StoreBeforeMigrations.WEIGHTS, store.loadCheckpoint(StoreBeforeMigrations.RUN).orElseThrow().ema());
        assertEquals(List.of("1 BASELINE", "2 SQL", "3 SQL"), history(target), "taken as version 1, then the later migrations");
        store.write(insert("new", 2000));
        store.close();
        store = JdbcRunStore.open(target);
        assertEquals(List.of(StoreBeforeMigrations.RUN, "new"), store.loadRuns().stream().map(StoredRun::id).toList());
    }

    @Test
    void aNewStoreIsCreatedByTheMigrations() throws Exception {
        DatabaseTarget target = emptyDatabase();
        store = JdbcRunStore.open(target);
        assertEquals(List.of("1 SQL", "2 SQL", "3 SQL"), history(target));
    }

    @Test
    void aStoreOfANewerAppIsRefusedRatherThanMisread() throws Exception {
        DatabaseTarget target = emptyDatabase();
        JdbcRunStore.open(target).close();
        execute(target, "INSERT INTO \"" + Schema.HISTORY + "\" (\"installed_rank\", \"version\", "
                + "\"description\", \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (4, '4', 'later', 'SQL', 'V4__later.sql', 0, "
                + "'a newer app', 0, TRUE)");

        StoreException e = assertThrows(StoreException.class, () -> JdbcRunStore.open(target));

        assertTrue(e.getMessage().contains("schema version 4, newer than this app's 3"), e.getMessage());
    }

    /** The versions applied, "version TYPE", oldest first (Flyway quotes its lower-case names, also on H2). */
    private static List<String> history(DatabaseTarget target) throws SQLException {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT \"version\", \"type\" FROM \""
                     + Schema.HISTORY + "\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2));
            }
            return rows;
        }
    }

    private static void execute(DatabaseTarget target, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password())) {
            c.createStatement().execute(sql);
        }
    }

    @Test
    void aRefusedWriteIsAStoreErrorAndTheNextWriteGoesThrough() {
        RunChanges orphan = new RunChanges("nobody");
        orphan.loss(new long[] {1}, new float[] {1});
        StoreException e = assertThrows(StoreException.class, () -> store.write(orphan));
        assertTrue(e.getMessage().startsWith("the database refused the operation"), e.getMessage());
        store.write(insert("r", 1));
        assertEquals(List.of("r"), store.loadRuns().stream().map(StoredRun::id).toList());
    }

    @Test
    void writesGoOnAfterTheDatabaseDroppedTheConnections() throws Exception {
        store.write(insert("r", 1));
        store.dropConnections();
        RunChanges c = new RunChanges("r");
        c.loss(new long[] {5}, new float[] {5});
        store.write(c);
        assertEquals(1, store.loadHistory("r").lossSteps().length);
    }

    @Test
    void theLargestAllowedModelsCheckpointFits() {
        RunConfig big = ConfigParser.parse(Map.of("preset", "default", "hidden", largest("hidden"),
                "layers", largest("layers"), "timesteps", largest("timesteps")));
        ExperimentConfig ex = big.experiment();
        int params = new ParamLayout(Trainer.modelShape(ex, ex.objective().create(
                diffusionlab.engine.schedule.NoiseSchedule.of(ex.schedule(), ex.timesteps(), ex.betaStart(), ex.betaEnd()),
                ex.prediction(), ex.sigma()))).size();
        assertTrue(params > 4_000_000, "" + params);
        RunChanges c = insert("big", 1);
        c.checkpoint(checkpoint(7, params));
        store.write(c);
        Optional<float[]> ema = store.loadWeights("big", true);
        assertEquals(params, ema.orElseThrow().length);
        assertEquals(2f * (params - 1) - 1, ema.get()[params - 1]);
    }

    @Test
    void aHundredRunsComeBackInCreationOrderWithTheirHistory() {
        for (int i = 0; i < 100; i++) {
            RunChanges c = insert(String.format("run%03d", i), 1000 + i);
            c.loss(steps(2000), ramp(2000, 0.001f));
            c.picture(frames(PictureKind.REVERSE, 1));
            c.picture(frames(PictureKind.FORWARD, 1));
            c.checkpoint(checkpoint(10, 72_000));
            c.status(new RunChanges.Status(RunState.DONE, 40, null, 5));
            store.write(c);
        }
        reopen();
        List<StoredRun> runs = store.loadRuns();
        assertEquals(100, runs.size());
        assertEquals("run000", runs.get(0).id());
        assertNotNull(store.loadHistory("run050").picture(PictureKind.REVERSE));
    }

    /** The largest value the config table allows for a whole-number field. */
    private static int largest(String field) {
        return (int) ConfigFields.named(field).range().hi();
    }

    private static long[] steps(int n) {
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = 20L * (i + 1);
        }
        return s;
    }
}
