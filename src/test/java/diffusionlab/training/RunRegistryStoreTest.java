package diffusionlab.training;

import static diffusionlab.training.RunFixtures.await;
import static diffusionlab.training.RunFixtures.awaitEnd;
import static diffusionlab.training.RunFixtures.small;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.store.Checkpoint;
import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.JdbcRunStore;
import diffusionlab.training.store.PrunePolicy;
import diffusionlab.training.store.RunChanges;
import diffusionlab.training.store.RunStore;
import diffusionlab.training.store.StoreException;
import diffusionlab.training.store.StoreSettings;
import diffusionlab.training.store.StoreWriter;
import diffusionlab.training.store.StoredRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry over a real store (H2 in a temporary DATA_DIR): runs outlive the registry that trained them. */
class RunRegistryStoreTest {
    private static final CheckpointPolicy OFTEN = new CheckpointPolicy(20_000, 1_000);

    @TempDir
    Path dataDir;

    private StoreSettings settings(PrunePolicy retention) {
        return new StoreSettings(dataDir, null, OFTEN, retention);
    }

    private RunRegistry open() {
        return RunRegistry.open(1, settings(PrunePolicy.KEEP_ALL));
    }

    @Test
    void aFinishedRunIsFullyViewableAfterARestart() {
        String id;
        RunSnapshot before;
        float[] ema;
        try (RunRegistry registry = open()) {
            Run run = registry.create(small("finished", 3000), "owner-hash-1");
            id = run.id();
            assertEquals(RunState.DONE, awaitEnd(run, 60_000).state());
            assertTrue(registry.flushStore(Duration.ofSeconds(10)));
            before = run.snapshot();
            ema = run.storedWeights(true).orElseThrow();
        }
        try (RunRegistry registry = open()) {
            Run run = registry.get(id).orElseThrow();
            assertEquals("owner-hash-1", run.ownerHash());
            assertEquals(RunState.DONE, run.state());
            assertEquals(3000, run.status().step());
            assertEquals("finished", run.status().name());
            assertTrue(run.finishedAtMillis() > 0);
            RunSnapshot after = run.snapshot();
            assertArrayEquals(before.history().lossSteps(), after.history().lossSteps());
            assertArrayEquals(before.history().lossValues(), after.history().lossValues());
            assertArrayEquals(before.history().metricSteps(), after.history().metricSteps());
            assertArrayEquals(before.history().data(), after.history().data());
            assertArrayEquals(before.history().picture(PictureKind.FORWARD, RunEvent.Frames.class).clouds()[5], after.history().picture(PictureKind.FORWARD, RunEvent.Frames.class).clouds()[5]);
            assertEquals(3000, after.history().picture(PictureKind.REVERSE, RunEvent.Frames.class).trainingStep());
            assertArrayEquals(before.history().picture(PictureKind.REVERSE, RunEvent.Frames.class).clouds()[9], after.history().picture(PictureKind.REVERSE, RunEvent.Frames.class).clouds()[9]);
            assertArrayEquals(before.history().picture(PictureKind.FIELD, RunEvent.Field.class).vectors()[3], after.history().picture(PictureKind.FIELD, RunEvent.Field.class).vectors()[3]);
            assertArrayEquals(before.history().picture(PictureKind.SAMPLES, RunEvent.Samples.class).cloud(), after.history().picture(PictureKind.SAMPLES, RunEvent.Samples.class).cloud());
            assertArrayEquals(before.history().lossSteps(), run.history().lossSteps());
            assertArrayEquals(ema, run.storedWeights(true).orElseThrow());
            FrozenWeights restored = run.weights().orElseThrow(); // samples and .npy work after a restart
            assertArrayEquals(ema, restored.ema());
            assertEquals(3000, restored.step());
            assertEquals(run.config().experiment().steps(), after.status().totalSteps());
        }
    }

    @Test
    void aRunTrainingAtShutdownResumesFromItsCheckpointToTheEnd() {
        long steps = 150_000;
        String id;
        try (RunRegistry registry = open()) {
            Run run = registry.create(small("resumed", steps), "owner-2");
            id = run.id();
            await(run, s -> s.step() >= 40_000, 60_000);
        } // close: the run is halted with a checkpoint, its state stays RUNNING
        try (RunRegistry registry = open()) {
            Run run = registry.get(id).orElseThrow();
            RunSnapshot restored = run.snapshot();
            assertTrue(restored.status().step() >= 40_000, restored.status().toString());
            assertTrue(restored.history().lossSteps().length > 0);
            assertEquals("owner-2", run.ownerHash());
            RunStatus end = awaitEnd(run, 120_000);
            assertEquals(RunState.DONE, end.state(), end.toString());
            assertEquals(steps, end.step());
            long[] loss = run.history().lossSteps();
            assertEquals(2000, loss.length); // one point every 75 steps, none lost or repeated across the restart
            for (int i = 1; i < loss.length; i++) {
                assertTrue(loss[i] > loss[i - 1], "loss steps go back at " + i);
            }
            assertEquals(steps, loss[loss.length - 1]);
            assertTrue(registry.flushStore(Duration.ofSeconds(10)));
        }
        try (RunRegistry registry = open()) {
            assertEquals(RunState.DONE, registry.get(id).orElseThrow().state());
            assertEquals(2000, registry.get(id).orElseThrow().history().lossSteps().length);
        }
    }

    @Test
    void aPausedRunComesBackPausedAndFinishesWhenResumed() {
        String id;
        long pausedAt;
        try (RunRegistry registry = open()) {
            Run run = registry.create(small("paused", 100_000), "o");
            id = run.id();
            await(run, s -> s.step() >= 10_000, 60_000);
            run.pause();
            pausedAt = await(run, s -> s.state() == RunState.PAUSED, 10_000).step();
            assertTrue(registry.flushStore(Duration.ofSeconds(10)));
        }
        try (RunRegistry registry = open()) {
            Run run = registry.get(id).orElseThrow();
            RunStatus s = await(run, st -> st.state() == RunState.PAUSED, 30_000);
            assertTrue(s.step() >= pausedAt - 100, s + " vs " + pausedAt);
            assertTrue(run.resume());
            assertEquals(RunState.DONE, awaitEnd(run, 60_000).state());
            assertEquals(100_000, run.status().step());
        }
    }

    @Test
    void aDivergedRunIsStoredAsDiverged() {
        String id;
        try (RunRegistry registry = open()) {
            Run run = registry.create(small("nan", 3000, "objective", "ddpm_vlb", "lr", 1.0, "gradClip", 0), "o");
            id = run.id();
            assertEquals(RunState.DIVERGED, awaitEnd(run, 30_000).state());
        }
        try (RunRegistry registry = open()) {
            RunStatus s = registry.get(id).orElseThrow().status();
            assertEquals(RunState.DIVERGED, s.state());
            assertTrue(s.error().contains("learning rate"), s.error());
        }
    }

    @Test
    void deletingARunRemovesItFromTheStore() {
        try (RunRegistry registry = open()) {
            Run run = registry.create(small("doomed", 2000), "o");
            awaitEnd(run, 30_000);
            assertTrue(registry.delete(run.id()));
            assertTrue(registry.flushStore(Duration.ofSeconds(10)));
        }
        try (RunRegistry registry = open()) {
            assertTrue(registry.list().isEmpty());
        }
    }

    @Test
    void pruningKeepsTheNewestFinishedRunsAndNeverAQueuedOrTrainingOne() {
        try (RunRegistry registry = RunRegistry.open(1, settings(new PrunePolicy(1, 0)))) {
            Run first = registry.create(small("first", 1000), "o");
            awaitEnd(first, 30_000);
            Run second = registry.create(small("second", 1000), "o");
            awaitEnd(second, 30_000);
            Run training = registry.create(small("training", 2_000_000), "o");
            Run queued = registry.create(small("queued", 1000), "o");
            await(training, s -> s.state() == RunState.RUNNING, 10_000);
            registry.prune();
            assertTrue(registry.get(first.id()).isEmpty(), "the older finished run is pruned");
            assertTrue(registry.get(second.id()).isPresent());
            assertEquals(RunState.RUNNING, registry.get(training.id()).orElseThrow().state());
            assertEquals(RunState.QUEUED, registry.get(queued.id()).orElseThrow().state());
            assertEquals(1, queued.status().queuePosition());
            assertTrue(registry.flushStore(Duration.ofSeconds(10)));
        }
        // at start, with room for none but the newest finished run: the resumed runs are kept whatever their age
        try (RunRegistry registry = RunRegistry.open(1, settings(new PrunePolicy(1, 1)))) {
            List<String> names = registry.list().stream().map(r -> r.config().name()).sorted().toList();
            assertEquals(List.of("queued", "training"), names);
        }
    }

    @Test
    void aRunWhoseDataCannotBeStoredFailsWithAMessageAndTheOthersFinish() {
        Set<String> broken = ConcurrentHashMap.newKeySet();
        RunStore real = JdbcRunStore.open(settings(PrunePolicy.KEEP_ALL));
        RunStore failing = new InterceptedStore(real, changes -> {
            if (broken.contains(changes.runId())) {
                throw new StoreException("the database connection was lost (test)");
            }
        });
        try (RunRegistry registry = new RunRegistry(2, failing, OFTEN, PrunePolicy.KEEP_ALL,
                new StoreWriter.Retry(3, 20, 40))) {
            Run doomed = registry.create(small("doomed", 1_000_000), "o");
            broken.add(doomed.id());
            Run fine = registry.create(small("fine", 20_000), "o");
            RunStatus s = awaitEnd(doomed, 30_000);
            assertEquals(RunState.FAILED, s.state());
            assertTrue(s.error().contains("could not save the run"), s.error());
            assertTrue(s.error().contains("connection was lost"), s.error());
            assertTrue(s.step() < 1_000_000);
            assertEquals(RunState.DONE, awaitEnd(fine, 60_000).state());
            assertEquals(20_000, fine.status().step());
        }
    }

    @Test
    void aRestartRestoresAHundredStoredRunsAndReadsOneRunsHistoryOnItsFirstView() {
        StoredRunsFixture.storeFinishedRuns(settings(PrunePolicy.KEEP_ALL), 100);
        try (RunRegistry registry = open()) {
            List<Run> runs = registry.list();
            assertEquals(100, runs.size());
            for (Run r : runs) {
                assertEquals(RunState.DONE, r.status().state());
            }
            RunSnapshot one = runs.get(0).snapshot(); // its history is read now, on first view
            assertEquals(2000, one.history().lossSteps().length);
            assertNotNull(one.history().picture(PictureKind.REVERSE, RunEvent.Frames.class));
        }
    }

    @Test
    void viewersSeeARunFinishedOnlyOnceTheStoreHasItsEnd() throws InterruptedException {
        CountDownLatch endArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean endStored = new AtomicBoolean();
        RunStore real = JdbcRunStore.open(settings(PrunePolicy.KEEP_ALL));
        RunStore slow = new InterceptedStore(real, changes -> { // a database slow to take the run's end
            if (changes.status() != null && changes.status().state().isTerminal()) {
                endArrived.countDown();
                awaitQuietly(release);
            }
        }, changes -> endStored.compareAndSet(false, changes.status() != null
                && changes.status().state().isTerminal()));
        try (RunRegistry registry = new RunRegistry(1, slow, OFTEN, PrunePolicy.KEEP_ALL)) {
            Run run = registry.create(small("slow store", 3000), "o");
            List<Boolean> storedWhenSeen = new CopyOnWriteArrayList<>();
            run.subscribe(event -> {
                if (event instanceof RunEvent.StatusChanged changed && changed.status().state().isTerminal()) {
                    storedWhenSeen.add(endStored.get());
                }
            });
            assertTrue(endArrived.await(60, TimeUnit.SECONDS));
            Thread.sleep(300);
            assertEquals(RunState.RUNNING, run.state(), "not finished while the store has not its end");
            assertTrue(storedWhenSeen.isEmpty());
            release.countDown();
            assertEquals(RunState.DONE, awaitEnd(run, 10_000).state());
            assertEquals(List.of(true), storedWhenSeen);
            assertEquals(RunState.DONE, real.loadRuns().get(0).state());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A real store whose writes pass through {@code before} (which may throw, as a lost connection would) and {@code after}. */
    private record InterceptedStore(RunStore real, Consumer<RunChanges> before, Consumer<RunChanges> after)
            implements RunStore {
        InterceptedStore(RunStore real, Consumer<RunChanges> before) {
            this(real, before, changes -> { });
        }

        @Override
        public void write(RunChanges changes) {
            before.accept(changes);
            real.write(changes);
            after.accept(changes);
        }

        @Override
        public boolean delete(String id) {
            return real.delete(id);
        }

        @Override
        public List<StoredRun> loadRuns() {
            return real.loadRuns();
        }

        @Override
        public RunHistory loadHistory(String id) {
            return real.loadHistory(id);
        }

        @Override
        public Optional<Checkpoint> loadCheckpoint(String id) {
            return real.loadCheckpoint(id);
        }

        @Override
        public Optional<float[]> loadWeights(String id, boolean ema) {
            return real.loadWeights(id, ema);
        }

        @Override
        public String description() {
            return "intercepted " + real.description();
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
