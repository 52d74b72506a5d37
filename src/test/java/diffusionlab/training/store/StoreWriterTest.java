package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.RunState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreWriterTest {
    private static final StoreWriter.Retry FAST = new StoreWriter.Retry(3, 10, 20);

    /** Keeps what it is given; can be held up (a database that does not answer) or made to fail. */
    static final class FakeStore extends NoRunStore {
        final List<RunChanges> writes = new CopyOnWriteArrayList<>();
        final List<String> deleted = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
        /** Writes that throw an Error (as a driver out of memory would) before the store works again. */
        final AtomicInteger errorsLeft = new AtomicInteger();
        /** While closed, every write waits at it. */
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public void write(RunChanges changes) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (errorsLeft.getAndDecrement() > 0) {
                throw new OutOfMemoryError("Java heap space (test)");
            }
            AtomicInteger left = failuresLeft.get(changes.runId());
            if (left != null && left.getAndDecrement() > 0) {
                throw new StoreException("the database connection was lost (test)");
            }
            writes.add(changes);
        }

        long[] lossSteps(String id) {
            return writes.stream().filter(c -> c.runId().equals(id)).flatMapToLong(c -> java.util.Arrays.stream(c.lossSteps()))
                    .toArray();
        }

        @Override
        public boolean delete(String id) {
            deleted.add(id);
            return true;
        }

        @Override
        public String description() {
            return "fake";
        }
    }

    private final FakeStore store = new FakeStore();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Throwable> fatal = new CopyOnWriteArrayList<>();

    private StoreWriter writer(long flushMillis) {
        return new StoreWriter(store, (id, reason) -> failures.add(id + ": " + reason), fatal::add, flushMillis, FAST);
    }

    @Test
    void producersNeverWaitForADatabaseThatDoesNotAnswer() {
        store.gate = new CountDownLatch(1);
        try (StoreWriter w = writer(1)) {
            w.insert(StoreFixtures.newRun("r", 1));
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> { // a producer that waited would never finish
                for (int i = 0; i < 2000; i++) {
                    w.loss("r", new long[] {i}, new float[] {i});
                    if (i % 100 == 0) {
                        w.checkpoint("r", StoreFixtures.checkpoint(i, 72_000));
                    }
                }
            });
            assertEquals(0, store.writes.size(), "the database has not answered yet");
            store.gate.countDown();
            assertTrue(w.flush(Duration.ofSeconds(10)));
            assertEquals(2000, store.lossSteps("r").length);
        }
    }

    @Test
    void oneRunsChangesBetweenFlushesBecomeOneTransactionWithTheNewestPicturesAndStatus() {
        try (StoreWriter w = writer(60_000)) {
            w.insert(StoreFixtures.newRun("r", 1));
            for (int i = 1; i <= 5; i++) {
                w.loss("r", new long[] {i}, new float[] {i});
                w.picture("r", StoreFixtures.samples(i));
                w.status("r", new RunChanges.Status(RunState.RUNNING, i, null, 0));
            }
            assertTrue(w.flush(Duration.ofSeconds(5)));
            assertEquals(1, store.writes.size());
            RunChanges c = store.writes.get(0);
            assertEquals("r", c.insert().id());
            assertArrayEquals(new long[] {1, 2, 3, 4, 5}, c.lossSteps());
            assertEquals(5, c.pictures().get(0).trainingStep());
            assertEquals(5, c.status().step());
        }
    }

    @Test
    void aCheckpointOrARunsEndIsWrittenAtOnceNotAtTheNextFlush() {
        try (StoreWriter w = writer(60_000)) {
            w.checkpoint("r", StoreFixtures.checkpoint(1, 4));
            waitUntil(() -> store.writes.size() == 1);
            w.status("r", new RunChanges.Status(RunState.RUNNING, 2, null, 0));
            sleepMillis(200);
            assertEquals(1, store.writes.size());
            w.status("r", new RunChanges.Status(RunState.DONE, 3, null, 9));
            waitUntil(() -> store.writes.size() == 2);
            assertEquals(RunState.DONE, store.writes.get(1).status().state());
        }
    }

    @Test
    void aFailedWriteIsRetriedTogetherWithWhatCameSince() {
        store.failuresLeft.put("r", new AtomicInteger(2));
        try (StoreWriter w = writer(5)) {
            w.insert(StoreFixtures.newRun("r", 1));
            w.loss("r", new long[] {1, 2}, new float[] {1, 2});
            sleepMillis(30);
            w.loss("r", new long[] {3}, new float[] {3});
            waitUntil(() -> store.lossSteps("r").length == 3);
            assertArrayEquals(new long[] {1, 2, 3}, store.lossSteps("r"));
            assertEquals("r", store.writes.get(0).insert().id());
            assertTrue(failures.isEmpty(), failures.toString());
        }
    }

    @Test
    void afterTheLastAttemptTheRunIsReportedAndTheOthersAreWritten() {
        store.failuresLeft.put("bad", new AtomicInteger(Integer.MAX_VALUE));
        try (StoreWriter w = writer(5)) {
            w.insert(StoreFixtures.newRun("bad", 1));
            w.insert(StoreFixtures.newRun("good", 2));
            w.loss("good", new long[] {1}, new float[] {1});
            waitUntil(() -> !failures.isEmpty());
            sleepMillis(100);
            assertEquals(1, failures.size(), failures.toString());
            assertTrue(failures.get(0).startsWith("bad: the database connection was lost"), failures.get(0));
            assertArrayEquals(new long[] {1}, store.lossSteps("good"));
        }
    }

    @Test
    void aResumedRunsTruncationAppliesBeforeItsNewPoints() {
        try (StoreWriter w = writer(60_000)) {
            w.loss("r", new long[] {100, 200, 300}, new float[] {1, 2, 3});
            w.metric("r", 250, 1);
            w.truncateAfter("r", 200);
            w.loss("r", new long[] {300}, new float[] {9});
            w.flush(Duration.ofSeconds(5));
            RunChanges c = store.writes.get(0);
            assertEquals(200, c.truncateAfter());
            assertArrayEquals(new long[] {100, 200, 300}, c.lossSteps());
            assertArrayEquals(new float[] {1, 2, 9}, c.lossValues());
            assertEquals(0, c.metricSteps().length);
        }
    }

    @Test
    void changesForADeletedRunAreDiscarded() {
        try (StoreWriter w = writer(60_000)) {
            w.insert(StoreFixtures.newRun("gone", 1));
            w.delete("gone");
            w.loss("gone", new long[] {1}, new float[] {1});
            assertTrue(w.flush(Duration.ofSeconds(5)));
            assertTrue(store.writes.isEmpty());
            assertEquals(List.of("gone"), store.deleted);
        }
    }

    @Test
    void closingWritesWhatIsPending() {
        StoreWriter w = writer(60_000);
        w.insert(StoreFixtures.newRun("r", 1));
        w.status("r", new RunChanges.Status(RunState.DONE, 10, null, 5));
        w.close();
        assertEquals(1, store.writes.size());
        assertEquals(RunState.DONE, store.writes.get(0).status().state());
        assertFalse(failures.iterator().hasNext());
    }

    @Test
    void anErrorFromTheStoreIsAFailedWriteThatIsRetriedAndTheWriterGoesOn() {
        store.errorsLeft.set(1);
        try (StoreWriter w = writer(5)) {
            w.insert(StoreFixtures.newRun("r", 1));
            w.status("r", new RunChanges.Status(RunState.DONE, 10, null, 5));
            waitUntil(() -> store.writes.size() == 1);
            w.loss("s", new long[] {1}, new float[] {1});
            assertTrue(w.flush(Duration.ofSeconds(5)));
            assertEquals(RunState.DONE, store.writes.get(0).status().state());
            assertArrayEquals(new long[] {1}, store.lossSteps("s"));
            assertTrue(failures.isEmpty(), failures.toString());
            assertTrue(fatal.isEmpty(), fatal.toString());
        }
    }

    @Test
    void aWriterWhoseThreadDiesSaysSoAndNoLongerClaimsToFlush() {
        store.failuresLeft.put("r", new AtomicInteger(Integer.MAX_VALUE));
        OutOfMemoryError outOfMemory = new OutOfMemoryError("Java heap space (test)");
        try (StoreWriter w = new StoreWriter(store, (id, reason) -> {
            throw outOfMemory; // the failure listener runs out of memory: the writer's own code fails
        }, fatal::add, 5, new StoreWriter.Retry(1, 1, 1))) {
            w.insert(StoreFixtures.newRun("r", 1));
            waitUntil(() -> !fatal.isEmpty());
            assertEquals(List.of(outOfMemory), fatal);
            w.loss("s", new long[] {1}, new float[] {1});
            assertFalse(w.flush(Duration.ofSeconds(1)), "nothing is written any more");
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            sleepMillis(5);
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
