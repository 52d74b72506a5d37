package diffusionlab.training;

import static diffusionlab.training.RunFixtures.await;
import static diffusionlab.training.RunFixtures.awaitEnd;
import static diffusionlab.training.RunFixtures.small;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.DatabaseTarget;
import diffusionlab.training.store.JdbcRunStore;
import diffusionlab.training.store.PostgresTestDatabase;
import diffusionlab.training.store.PrunePolicy;
import diffusionlab.training.store.RunQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The web and worker roles in one JVM over a real PostgreSQL: a web registry that mirrors, workers that claim.
 * (The same with separate processes and a browser: {@code ScaleOutBrowserTest}.)
 */
@Tag("postgres")
class ClusterWorkerTest {
    private static final CheckpointPolicy OFTEN = new CheckpointPolicy(1_000_000, 1_000);
    private DatabaseTarget target;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void emptyDatabase() {
        target = PostgresTestDatabase.fresh();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T t) {
        open.add(t);
        return t;
    }

    private RunRegistry web() {
        return keep(new RunRegistry(JdbcRunStore.open(target).notifying(), PrunePolicy.KEEP_ALL));
    }

    private ClusterWorker worker(String name) {
        return keep(new ClusterWorker(1, JdbcRunStore.open(target).notifying(), OFTEN, name).start());
    }

    /** Every loss step a listener of the web's run was sent, in order. */
    private static List<Long> listen(Run run) {
        List<Long> steps = new ArrayList<>();
        RunSnapshot snapshot = run.subscribe(event -> {
            if (event instanceof RunEvent.LossPoints points) {
                synchronized (steps) {
                    for (long s : points.steps()) {
                        steps.add(s);
                    }
                }
            }
        });
        synchronized (steps) {
            for (long s : snapshot.history().lossSteps()) {
                steps.add(s);
            }
        }
        return steps;
    }

    private static void assertEveryStepOnce(List<Long> steps, long every, long last) {
        synchronized (steps) {
            assertEquals(last / every, steps.size(), "points: " + steps.subList(0, Math.min(20, steps.size())));
            for (int i = 0; i < steps.size(); i++) {
                assertEquals(every * (i + 1), steps.get(i), "point " + i);
            }
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aRunCreatedOnTheWebIsTrainedByAWorkerAndItsViewerSeesEveryLossPointOnceWithThePictures() throws Exception {
        RunRegistry web = web();
        worker("w1");
        Run run = web.create(small("on a worker", 40_000), "owner-1");
        assertTrue(web.mirrorsWorkers());
        List<Long> seen = listen(run);
        await(run, s -> s.state() == RunState.RUNNING && s.step() > 0, 30_000);
        RunStatus end = awaitEnd(run, 120_000);
        assertEquals(RunState.DONE, end.state(), end.toString());
        assertEquals(40_000, end.step());
        assertEveryStepOnce(seen, 20, 40_000);
        awaitTrue("the final samples reach the web", () -> run.history().picture(PictureKind.SAMPLES,
                RunEvent.Samples.class) != null, 10_000);

        // a second web instance, started now, reads the same run from the store
        RunRegistry other = web();
        Run there = other.get(run.id()).orElseThrow();
        assertEquals(RunState.DONE, there.state());
        assertEquals(2000, there.history().lossSteps().length);
        assertEquals("owner-1", there.ownerHash());
    }

    @Test
    void aWebInstanceStartsNoThreadThatTrainsOrWritesRuns() {
        long before = trainingThreads();
        web();
        assertEquals(before, trainingThreads(), "a web instance trains nothing and writes through the store");
    }

    /** The live threads that train runs or write them in this JVM. */
    private static long trainingThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("run-store-writer") || n.startsWith("run-worker")
                        || n.startsWith("run-visuals") || n.startsWith("run-quality-sweeps")).count();
    }

    @Test
    void pauseResumeAndStopFromTheWebReachTheWorkerWithinASecond() throws Exception {
        RunRegistry web = web();
        ClusterWorker w = worker("w1");
        Run run = web.create(small("controlled", 2_000_000), "owner-1");
        await(run, s -> s.state() == RunState.RUNNING && s.step() > 1000, 30_000);

        assertTrue(run.pause());
        long asked = System.nanoTime();
        awaitTrue("the worker gives the paused run up", () -> w.training() == 0, 5_000);
        long pausedAt = run.status().step();
        Thread.sleep(1_000);
        assertEquals(RunState.PAUSED, run.state());
        assertEquals(pausedAt, run.status().step(), "a paused run does not advance");
        assertTrue((System.nanoTime() - asked) / 1e9 < 5);

        assertTrue(run.resume());
        await(run, s -> s.state() == RunState.RUNNING && s.step() > pausedAt, 10_000);

        assertTrue(run.stop());
        long stopAsked = System.nanoTime();
        RunStatus end = awaitEnd(run, 5_000);
        assertTrue((System.nanoTime() - stopAsked) / 1e6 < 1_000 + 200, "stopped in " + (System.nanoTime() - stopAsked) / 1e6 + " ms");
        assertEquals(RunState.STOPPED, end.state());
        assertFalse(run.stop(), "a stopped run cannot be stopped again");
    }

    @Test
    void queuedRunsShowTheirPlaceAndAStopBeforeAnyWorkerClaimsThemEndsThemAtOnce() {
        RunRegistry web = web();
        Run first = web.create(small("first", 10_000), "o");
        Run second = web.create(small("second", 10_000), "o");
        assertEquals(1, first.status().queuePosition());
        assertEquals(2, second.status().queuePosition());
        assertTrue(first.stop());
        assertEquals(RunState.STOPPED, first.state());
        assertEquals(1, second.status().queuePosition());
        RunRegistry other = web();
        assertEquals(RunState.STOPPED, other.get(first.id()).orElseThrow().state());
        assertEquals(1, other.get(second.id()).orElseThrow().status().queuePosition());
    }

    @Test
    void twoWorkersNeverTrainTheSameRunAtOnceAndTheOneThatLostItStopsAndWritesNothing() throws Exception {
        RunRegistry web = web();
        ClusterWorker a = worker("a");
        Run run = web.create(small("contested", 200_000), "o");
        await(run, s -> s.state() == RunState.RUNNING && s.step() > 5_000, 30_000);
        awaitTrue("a first checkpoint", () -> countQuietly("SELECT checkpoint_step FROM dl_runs") > 0, 10_000);

        // the lease lapses under worker a (as if it stalled) and an intruder claims the run meanwhile
        JdbcRunStore intruderStore = keep(JdbcRunStore.open(target));
        RunQueue intruder = intruderStore.queue("intruder");
        Optional<RunQueue.Claim> claim = Optional.empty();
        for (int i = 0; i < 20 && claim.isEmpty(); i++) { // a's renewal may land between the two: lapse it again
            PostgresTestDatabase.execute(target, "UPDATE dl_runs SET lease_until = 0");
            claim = intruder.claim();
        }
        assertTrue(claim.isPresent(), "the lapsed run is claimable");
        assertEquals(2, claim.get().lease().generation());

        awaitTrue("worker a stops training the run it lost", () -> a.training() == 0, 3_000);
        long checkpoint = count("SELECT checkpoint_step FROM dl_runs");
        assertTrue(checkpoint > 0);
        Thread.sleep(1_500);
        assertEquals(0, count("SELECT count(*) FROM dl_loss WHERE step > " + checkpoint),
                "the worker that lost the run wrote no point after the intruder's claim");
        assertEquals(checkpoint, count("SELECT checkpoint_step FROM dl_runs"), "nor a checkpoint");

        // the intruder gives it up; a second worker (or a) resumes it from the checkpoint to the end
        intruder.release(claim.get().lease());
        worker("b");
        RunStatus end = awaitEnd(run, 120_000);
        assertEquals(RunState.DONE, end.state(), end.toString());
        assertEquals(2000, count("SELECT count(DISTINCT step) FROM dl_loss"));
        assertEquals(2000, count("SELECT count(*) FROM dl_loss"));
        assertEquals(200_000, count("SELECT max(step) FROM dl_loss"));
    }

    private long countQuietly(String sql) {
        try {
            return count(sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql) throws Exception {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", target.user());
        props.setProperty("password", target.password());
        try (var c = java.sql.DriverManager.getConnection(target.jdbcUrl(), props);
             var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
