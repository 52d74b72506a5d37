package diffusionlab.training.store;

import diffusionlab.training.Pictures;
import diffusionlab.training.RunEvent;
import diffusionlab.training.RunListener;
import diffusionlab.training.RunState;
import diffusionlab.training.RunStatus;
import java.time.Duration;

/**
 * Records one run in the store as it trains: listens to everything the run publishes (status, loss points,
 * metric) and passes it to the {@link StoreWriter}; keeps the newest pictures and hands them over with each
 * checkpoint and when the run ends (they are redrawn every second or two, so storing each one would only
 * churn the database). Every method but {@link #storeEnd} returns at once.
 */
public final class RunRecorder implements RunListener {
    private final String runId;
    private final StoreWriter writer;
    private final LivePublisher live; // null but in the worker role
    private final Pictures pictures = new Pictures(); // not yet handed to the writer; guarded by this
    private RunState storedEnd; // the end storeEnd wrote, which the run's own status then need not write again

    public RunRecorder(String runId, StoreWriter writer) {
        this(runId, writer, null);
    }

    /**
     * A worker's recorder (docs/SCALING.md): curve points and the status also go to the web instances through
     * {@code live} (which stores the points itself), and every picture is stored as it is drawn, since the web
     * instances read it from the store.
     */
    public RunRecorder(String runId, StoreWriter writer, LivePublisher live) {
        this.runId = runId;
        this.writer = writer;
        this.live = live;
    }

    @Override
    public synchronized void onEvent(RunEvent event) {
        event.accept(new RunEvent.Visitor<Void>() {
            @Override
            public Void status(RunEvent.StatusChanged changed) {
                RunStatus s = changed.status();
                if (live != null) {
                    live.status(runId, new LiveNotice.Status(s.state(), s.step(), s.stepsPerSecond(), s.error(),
                            s.skippedUpdates()));
                }
                boolean ended = s.state().isTerminal();
                if (ended && s.state() == storedEnd) {
                    return null; // the worker stored this end before it showed it (storeEnd)
                }
                if (ended) {
                    handOverPictures();
                }
                writer.status(runId, new RunChanges.Status(s.state(), s.step(), s.error(),
                        ended ? System.currentTimeMillis() : 0));
                return null;
            }

            @Override
            public Void loss(RunEvent.LossPoints points) {
                if (live != null) {
                    live.loss(runId, points.steps(), points.values());
                } else {
                    writer.loss(runId, points.steps(), points.values());
                }
                return null;
            }

            @Override
            public Void metric(RunEvent.MetricPoint m) {
                if (live != null) {
                    live.metric(runId, m.step(), m.value());
                } else {
                    writer.metric(runId, m.step(), m.value());
                }
                return null;
            }

            @Override
            public Void picture(RunEvent.Picture picture) {
                if (live != null) {
                    writer.picture(runId, picture);
                } else {
                    pictures.keep(picture);
                }
                return null;
            }
        });
    }

    /** Saves a checkpoint (a copy the caller no longer writes) together with the newest pictures. */
    public synchronized void checkpoint(Checkpoint checkpoint) {
        handOverPictures();
        if (live != null) { // stored only after the points before it: a resume from it finds every one
            live.afterPublished(runId, () -> writer.checkpoint(runId, checkpoint));
        } else {
            writer.checkpoint(runId, checkpoint);
        }
    }

    /**
     * Stores the run's end with the newest pictures and whatever else is pending (its final checkpoint), and
     * waits until the store has them, at most {@code timeout}: true once it does. For the worker, before the
     * run shows itself ended, so that no one sees a run finished that a restart would bring back unfinished.
     */
    public boolean storeEnd(RunState state, long step, String error, Duration timeout) {
        if (live != null) { // the last points, and then the final checkpoint, reach the writer first
            live.drain(runId, timeout.toMillis());
        }
        synchronized (this) {
            handOverPictures();
            writer.status(runId, new RunChanges.Status(state, step, error, System.currentTimeMillis()));
            storedEnd = state;
        }
        return writer.flush(runId, timeout);
    }

    /**
     * A resumed run trains again from {@code step}: its stored curves after it are dropped (a worker's claim
     * dropped them already, before its first new point).
     */
    public void resumedFrom(long step) {
        if (live == null) {
            writer.truncateAfter(runId, step);
        }
    }

    private void handOverPictures() {
        pictures.all().forEach(picture -> writer.picture(runId, picture));
        pictures.clear();
    }
}
