package diffusionlab.web.live;

import diffusionlab.training.RunEvent;
import diffusionlab.training.RunSnapshot;
import diffusionlab.web.wire.WireFormat;
import diffusionlab.web.wire.WireMessage;
import java.util.Arrays;

/**
 * One viewer's messages waiting to be sent, bounded by construction: the snapshot first, then the newest
 * status and the newest of each picture (an older unsent one is dropped), and the loss and metric points
 * merged into one message each. {@link #offer} only stores a reference or appends a few numbers, so the
 * run's threads never wait here; packing clouds happens in {@link #poll}, on the sender.
 */
final class Outbox {
    /** Far above a run's whole loss curve (about 2,000 points); past it the oldest pending points go. */
    static final int MAX_PENDING_POINTS = 20_000;

    private RunSnapshot snapshot;
    private boolean started;
    private RunEvent.StatusChanged status;
    private long[] lossSteps = new long[64];
    private float[] lossValues = new float[64];
    private int lossCount;
    private long lossAt; // wall clock when the newest pending loss point was published
    private long[] metricSteps = new long[8];
    private double[] metricValues = new double[8];
    private int metricCount;
    private RunEvent.Frames forward;
    private RunEvent.Frames reverse;
    private RunEvent.Field field;
    private RunEvent.Samples samples;
    private long dropped;

    /** Sets the snapshot every later message continues from; nothing is sent before it. */
    synchronized void start(RunSnapshot first) {
        snapshot = first;
        started = true;
    }

    synchronized void offer(RunEvent event) {
        if (event instanceof RunEvent.StatusChanged s) {
            status = s;
        } else if (event instanceof RunEvent.LossPoints p) {
            appendLoss(p);
        } else if (event instanceof RunEvent.MetricPoint m) {
            appendMetric(m);
        } else if (event instanceof RunEvent.Frames f && f.kind().equals("forward")) {
            forward = replace(forward, f);
        } else if (event instanceof RunEvent.Frames f) {
            reverse = replace(reverse, f);
        } else if (event instanceof RunEvent.Field f) {
            field = replace(field, f);
        } else if (event instanceof RunEvent.Samples s) {
            samples = replace(samples, s);
        }
    }

    /** The next message to send, or null when there is none yet; clouds are packed outside the lock. */
    WireMessage poll() {
        Object next = take();
        if (next == null) {
            return null;
        }
        if (next instanceof WireMessage message) {
            return message; // merged points, already cheap to build
        }
        return next instanceof RunSnapshot s ? WireFormat.snapshot(s) : WireFormat.of((RunEvent) next);
    }

    /**
     * The next message as JSON text: merged points and the snapshot are this viewer's own; an event that goes
     * to every viewer unchanged (status, pictures) is encoded once for all of them.
     */
    String pollText(SharedEncoding shared) {
        Object next = take();
        if (next == null) {
            return null;
        }
        if (next instanceof WireMessage message) {
            return shared.wire().encode(message);
        }
        if (next instanceof RunSnapshot s) {
            return shared.wire().encode(WireFormat.snapshot(s));
        }
        return shared.encode((RunEvent) next);
    }

    synchronized boolean hasNext() {
        return started && (snapshot != null || status != null || lossCount > 0 || metricCount > 0
                || forward != null || reverse != null || field != null || samples != null);
    }

    /** Loss and metric points waiting (bounded by {@link #MAX_PENDING_POINTS} each). */
    synchronized int pendingPoints() {
        return lossCount + metricCount;
    }

    /** Messages waiting besides the points: the snapshot, a status and at most one of each picture (at most 6). */
    synchronized int pendingMessages() {
        int n = 0;
        for (Object o : new Object[] {snapshot, status, forward, reverse, field, samples}) {
            n += o != null ? 1 : 0;
        }
        return n;
    }

    /** How many pictures were replaced by a newer one before they could be sent. */
    synchronized long dropped() {
        return dropped;
    }

    private synchronized Object take() {
        if (!started) {
            return null;
        }
        Object next = null;
        if (snapshot != null) {
            next = snapshot;
            snapshot = null;
        } else if (status != null) {
            next = status;
            status = null;
        } else if (lossCount > 0) {
            next = new WireMessage.Loss(Arrays.copyOf(lossSteps, lossCount), Arrays.copyOf(lossValues, lossCount),
                    lossAt);
            lossCount = 0;
        } else if (metricCount > 0) {
            next = WireFormat.metric(Arrays.copyOf(metricSteps, metricCount), Arrays.copyOf(metricValues, metricCount));
            metricCount = 0;
        } else if (forward != null) {
            next = forward;
            forward = null;
        } else if (reverse != null) {
            next = reverse;
            reverse = null;
        } else if (field != null) {
            next = field;
            field = null;
        } else if (samples != null) {
            next = samples;
            samples = null;
        }
        return next;
    }

    private <T> T replace(T pending, T newer) {
        if (pending != null) {
            dropped++;
        }
        return newer;
    }

    private void appendLoss(RunEvent.LossPoints p) {
        lossAt = System.currentTimeMillis(); // offer runs on the run's thread as it publishes, just after the step
        int add = p.steps().length;
        if (lossCount + add > lossSteps.length) {
            int capacity = Math.min(MAX_PENDING_POINTS, Math.max(2 * lossSteps.length, lossCount + add));
            lossSteps = Arrays.copyOf(lossSteps, capacity);
            lossValues = Arrays.copyOf(lossValues, capacity);
        }
        for (int i = 0; i < add; i++) {
            if (lossCount == lossSteps.length) { // only past MAX_PENDING_POINTS: forget the oldest
                System.arraycopy(lossSteps, 1, lossSteps, 0, lossCount - 1);
                System.arraycopy(lossValues, 1, lossValues, 0, lossCount - 1);
                lossCount--;
            }
            lossSteps[lossCount] = p.steps()[i];
            lossValues[lossCount] = p.values()[i];
            lossCount++;
        }
    }

    private void appendMetric(RunEvent.MetricPoint m) {
        if (metricCount == metricSteps.length) {
            if (metricCount >= MAX_PENDING_POINTS) {
                System.arraycopy(metricSteps, 1, metricSteps, 0, metricCount - 1);
                System.arraycopy(metricValues, 1, metricValues, 0, metricCount - 1);
                metricCount--;
            } else {
                metricSteps = Arrays.copyOf(metricSteps, 2 * metricCount);
                metricValues = Arrays.copyOf(metricValues, 2 * metricCount);
            }
        }
        metricSteps[metricCount] = m.step();
        metricValues[metricCount] = m.value();
        metricCount++;
    }
}
