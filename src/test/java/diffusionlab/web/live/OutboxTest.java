package diffusionlab.web.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.PictureKind;
import diffusionlab.training.RunEvent;
import diffusionlab.training.RunState;
import diffusionlab.training.RunStatus;
import diffusionlab.web.wire.WireMessage;
import org.junit.jupiter.api.Test;

class OutboxTest {

    @Test
    void nothingLeavesBeforeTheSnapshotAndTheSnapshotLeavesFirst() {
        Outbox outbox = new Outbox();
        outbox.offer(status(RunState.RUNNING, 5));
        assertFalse(outbox.hasNext());
        assertNull(outbox.poll());

        outbox.start(LiveViewerTest.snapshot());

        assertTrue(outbox.poll() instanceof WireMessage.Snapshot);
        assertTrue(outbox.poll() instanceof WireMessage.Status);
        assertNull(outbox.poll());
    }

    @Test
    void onlyTheNewestStatusAndPictureOfEachKindWait() {
        Outbox outbox = new Outbox();
        outbox.start(LiveViewerTest.snapshot());
        outbox.poll();
        for (int step = 1; step <= 5; step++) {
            outbox.offer(status(RunState.RUNNING, step));
            outbox.offer(LiveViewerTest.frames(PictureKind.FORWARD, step));
            outbox.offer(LiveViewerTest.frames(PictureKind.REVERSE, 10 + step));
        }

        WireMessage.Status status = (WireMessage.Status) outbox.poll();
        WireMessage.Frames forward = (WireMessage.Frames) outbox.poll();
        WireMessage.Frames reverse = (WireMessage.Frames) outbox.poll();

        assertEquals(5, status.status().step());
        assertEquals("forward", forward.kind());
        assertEquals(5, forward.trainingStep());
        assertEquals(15, reverse.trainingStep());
        assertNull(outbox.poll());
        assertEquals(8, outbox.dropped(), "4 older forward and 4 older reverse frames (statuses are not pictures)");
    }

    @Test
    void lossAndMetricPointsAreMergedInOrder() {
        Outbox outbox = new Outbox();
        outbox.start(LiveViewerTest.snapshot());
        outbox.poll();
        outbox.offer(new RunEvent.LossPoints(new long[] {2, 4}, new float[] {1f, 0.9f}));
        outbox.offer(new RunEvent.MetricPoint(4, 0.5));
        outbox.offer(new RunEvent.LossPoints(new long[] {6}, new float[] {0.8f}));
        outbox.offer(new RunEvent.MetricPoint(6, Double.NaN));

        WireMessage.Loss loss = (WireMessage.Loss) outbox.poll();
        WireMessage.Metric metric = (WireMessage.Metric) outbox.poll();

        assertArrayEquals(new long[] {2, 4, 6}, loss.steps());
        assertArrayEquals(new float[] {1f, 0.9f, 0.8f}, loss.values());
        assertArrayEquals(new long[] {4, 6}, metric.steps());
        assertArrayEquals(new Double[] {0.5, null}, metric.values(), "a value that is not finite travels as null");
    }

    @Test
    void pendingLossPointsAreBoundedEvenIfAViewerNeverReads() {
        Outbox outbox = new Outbox();
        outbox.start(LiveViewerTest.snapshot());
        outbox.poll();
        for (int i = 1; i <= 3 * Outbox.MAX_PENDING_POINTS; i++) {
            outbox.offer(new RunEvent.LossPoints(new long[] {i}, new float[] {i}));
        }

        WireMessage.Loss loss = (WireMessage.Loss) outbox.poll();

        assertEquals(Outbox.MAX_PENDING_POINTS, loss.steps().length);
        assertEquals(3L * Outbox.MAX_PENDING_POINTS, loss.steps()[loss.steps().length - 1], "the newest are kept");
    }

    private static RunEvent.StatusChanged status(RunState state, long step) {
        return new RunEvent.StatusChanged(new RunStatus("abc", "test", "ddpm_simple", state, step, 100, 10, 0, null, 0, 0, 0, 0));
    }
}
