package diffusionlab.web.live;

import diffusionlab.training.Pictures;
import diffusionlab.training.RunEvent;
import diffusionlab.training.RunSnapshot;
import diffusionlab.training.StepSeries;
import diffusionlab.web.wire.WireFormat;
import diffusionlab.web.wire.WireMessage;

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
    private final StepSeries loss = new StepSeries(64);
    private long lossAt; // wall clock when the newest pending loss point was published
    private final StepSeries metric = new StepSeries(8);
    private final Pictures pictures = new Pictures();

    /** Sets the snapshot every later message continues from; nothing is sent before it. */
    synchronized void start(RunSnapshot first) {
        snapshot = first;
        started = true;
    }

    synchronized void offer(RunEvent event) {
        event.accept(keeper);
    }

    /** What {@link #offer} keeps of each event (called with this outbox's lock held). */
    private final RunEvent.Visitor<Void> keeper = new RunEvent.Visitor<>() {
        @Override
        public Void status(RunEvent.StatusChanged s) {
            status = s;
            return null;
        }

        @Override
        public Void loss(RunEvent.LossPoints p) {
            // offer runs on the run's thread as it publishes, just after the step (or a worker's stamp of it)
            lossAt = p.atMillis() > 0 ? p.atMillis() : System.currentTimeMillis();
            loss.addAll(p.steps(), p.values());
            loss.keepLast(MAX_PENDING_POINTS);
            return null;
        }

        @Override
        public Void metric(RunEvent.MetricPoint m) {
            metric.add(m.step(), m.value());
            metric.keepLast(MAX_PENDING_POINTS);
            return null;
        }

        @Override
        public Void picture(RunEvent.Picture picture) {
            pictures.keep(picture);
            return null;
        }
    };

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
        return started && (snapshot != null || status != null || !loss.isEmpty() || !metric.isEmpty()
                || !pictures.isEmpty());
    }

    /** Loss and metric points waiting (bounded by {@link #MAX_PENDING_POINTS} each). */
    synchronized int pendingPoints() {
        return loss.size() + metric.size();
    }

    /** Messages waiting besides the points: the snapshot, a status and at most one picture of each kind. */
    synchronized int pendingMessages() {
        return (snapshot != null ? 1 : 0) + (status != null ? 1 : 0) + pictures.size();
    }

    /** How many pictures were replaced by a newer one before they could be sent. */
    synchronized long dropped() {
        return pictures.replaced();
    }

    private synchronized Object take() {
        if (!started) {
            return null;
        }
        Object next;
        if (snapshot != null) {
            next = snapshot;
            snapshot = null;
        } else if (status != null) {
            next = status;
            status = null;
        } else if (!loss.isEmpty()) {
            next = new WireMessage.Loss(loss.steps(), loss.floatValues(), lossAt);
            loss.clear();
        } else if (!metric.isEmpty()) {
            next = WireFormat.metric(metric.steps(), metric.values());
            metric.clear();
        } else {
            next = pictures.poll();
        }
        return next;
    }
}
