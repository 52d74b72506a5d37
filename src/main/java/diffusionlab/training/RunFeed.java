package diffusionlab.training;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a run has published and who hears it: the loss and metric curves, the newest pictures, the journal
 * (the store's recorder, which hears every event first) and the viewers. A finished run read back from the
 * store has no live curves: its history comes from the store on first use. Not thread-safe: the
 * {@link Run} that owns it publishes and subscribes under one lock, so a new viewer gets a snapshot and
 * then exactly the increments after it.
 */
final class RunFeed {
    private final RunListener journal;
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
    private final StepSeries loss = new StepSeries();
    private final StepSeries metric = new StepSeries();
    private final Pictures pictures = new Pictures();
    private final ArchivedHistory archived; // null while the run lives in this process

    RunFeed(RunListener journal, ArchivedHistory archived) {
        this.journal = journal;
        this.archived = archived;
    }

    /** Keeps what the event adds to the run's history, then passes it to the journal and every viewer. */
    void publish(RunEvent event) {
        event.accept(new RunEvent.Visitor<Void>() {
            @Override
            public Void status(RunEvent.StatusChanged e) {
                return null;
            }

            @Override
            public Void loss(RunEvent.LossPoints e) {
                loss.addAll(e.steps(), e.values());
                return null;
            }

            @Override
            public Void metric(RunEvent.MetricPoint e) {
                metric.add(e.step(), e.value());
                return null;
            }

            @Override
            public Void picture(RunEvent.Picture p) {
                pictures.keep(p);
                return null;
            }
        });
        try {
            journal.onEvent(event);
        } catch (RuntimeException e) {
            // the journal only enqueues; should it fail, the viewers still get the event
        }
        for (RunListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                listeners.remove(l); // a broken viewer never stops the run
            }
        }
    }

    void subscribe(RunListener listener) {
        listeners.add(listener);
    }

    void unsubscribe(RunListener listener) {
        listeners.remove(listener);
    }

    int listenerCount() {
        return listeners.size();
    }

    /**
     * The history so far: a finished run's from the store (pass {@link #archivedHistory()}, read outside the
     * run's lock), a live run's from memory.
     */
    RunHistory history(RunHistory archivedHistory) {
        if (archivedHistory != null) {
            return archivedHistory;
        }
        return new RunHistory(loss.steps(), loss.floatValues(), metric.steps(), metric.values(), pictures.copy());
    }

    /** A finished run's history, read from the store on first use (may block: call it outside the lock); else null. */
    RunHistory archivedHistory() {
        return archived == null ? null : archived.get();
    }

    /** A resumed run's curves and pictures up to its checkpoint, before it trains on. */
    void restore(RunHistory h) {
        loss.addAll(h.lossSteps(), h.lossValues());
        for (int i = 0; i < h.metricSteps().length; i++) {
            metric.add(h.metricSteps()[i], h.metricValues()[i]);
        }
        pictures.clear();
        pictures.keepAll(h.pictures().values());
    }

    /** The step of the newest loss and metric point held here (-1: none). */
    long lastLossStep() {
        return loss.lastStep();
    }

    long lastMetricStep() {
        return metric.lastStep();
    }

    /** A resumed run trains again from {@code step}: the curves after it are dropped. */
    void rewindTo(long step) {
        loss.truncateAfter(step);
        metric.truncateAfter(step);
    }
}
