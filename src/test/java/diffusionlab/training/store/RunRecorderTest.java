package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.RunEvent;
import diffusionlab.training.RunState;
import diffusionlab.training.RunStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunRecorderTest {
    private final StoreWriterTest.FakeStore store = new StoreWriterTest.FakeStore();

    private static RunEvent status(RunState state, long step, String error) {
        return new RunEvent.StatusChanged(new RunStatus("r", "n", "ddpm_simple", state, step, 100, 0, 0, error, 0, 1, 0, 0));
    }

    private RunChanges lastWrite() {
        return store.writes.get(store.writes.size() - 1);
    }

    @Test
    void curvesAndStatusGoStraightToTheWriter() {
        try (StoreWriter writer = new StoreWriter(store, (id, reason) -> { }, cause -> { }, 60_000, StoreWriter.Retry.DEFAULT)) {
            RunRecorder recorder = new RunRecorder("r", writer);
            recorder.onEvent(new RunEvent.LossPoints(new long[] {1, 2}, new float[] {3, 4}));
            recorder.onEvent(new RunEvent.MetricPoint(2, 0.5));
            recorder.onEvent(status(RunState.RUNNING, 2, null));
            writer.flush(Duration.ofSeconds(5));
            RunChanges c = lastWrite();
            assertArrayEquals(new long[] {1, 2}, c.lossSteps());
            assertArrayEquals(new double[] {0.5}, c.metricValues());
            assertEquals(RunState.RUNNING, c.status().state());
            assertEquals(0, c.status().finishedAtMillis());
        }
    }

    @Test
    void picturesAreStoredWithACheckpointAndAtTheEndNotEachTimeTheyAreRedrawn() {
        try (StoreWriter writer = new StoreWriter(store, (id, reason) -> { }, cause -> { }, 60_000, StoreWriter.Retry.DEFAULT)) {
            RunRecorder recorder = new RunRecorder("r", writer);
            recorder.onEvent(new RunEvent.Data(new float[] {1, 2}));
            recorder.onEvent(StoreFixtures.samples(1));
            recorder.onEvent(StoreFixtures.samples(2));
            writer.flush(Duration.ofSeconds(5));
            assertTrue(store.writes.isEmpty());

            recorder.checkpoint(StoreFixtures.checkpoint(2, 4));
            writer.flush(Duration.ofSeconds(5));
            RunChanges c = lastWrite();
            assertEquals(2, c.checkpoint().step());
            assertEquals(2, c.pictures().size());
            assertArrayEquals(new float[] {1, 2}, ((RunEvent.Data) c.pictures().get(0)).cloud());
            assertEquals(2, c.pictures().get(1).trainingStep());

            recorder.onEvent(StoreFixtures.samples(3));
            recorder.onEvent(status(RunState.DONE, 3, null));
            writer.flush(Duration.ofSeconds(5));
            RunChanges end = lastWrite();
            assertEquals(1, end.pictures().size(), "the data was handed over once");
            assertEquals(3, end.pictures().get(0).trainingStep());
            assertEquals(RunState.DONE, end.status().state());
            assertTrue(end.status().finishedAtMillis() > 0);
        }
    }

    @Test
    void anEndTheWorkerStoredIsNotWrittenAgainWhenTheRunShowsIt() {
        try (StoreWriter writer = new StoreWriter(store, (id, reason) -> { }, cause -> { }, 60_000, StoreWriter.Retry.DEFAULT)) {
            RunRecorder recorder = new RunRecorder("r", writer);
            assertTrue(recorder.storeEnd(RunState.DONE, 100, null, Duration.ofSeconds(5)));
            int writes = store.writes.size();
            recorder.onEvent(status(RunState.DONE, 100, null)); // the run shows the end it had stored
            writer.flush(Duration.ofSeconds(5));
            assertEquals(writes, store.writes.size(), "one write for one end");

            recorder.onEvent(status(RunState.FAILED, 100, "the store failed")); // a different end is still written
            writer.flush(Duration.ofSeconds(5));
            assertEquals(RunState.FAILED, lastWrite().status().state());
        }
    }
}
