package diffusionlab.training.store;

import diffusionlab.training.RunEvent;
import diffusionlab.training.RunListener;
import diffusionlab.training.RunStatus;

/**
 * Records one run in the store as it trains: listens to everything the run publishes (status, loss points,
 * metric) and passes it to the {@link StoreWriter}; keeps the newest pictures and hands them over with each
 * checkpoint and when the run ends (they are redrawn every second or two, so storing each one would only
 * churn the database). Every method returns at once.
 */
public final class RunRecorder implements RunListener {
    private final String runId;
    private final StoreWriter writer;

    // the newest pictures not yet handed to the writer, guarded by this
    private float[] data;
    private RunEvent.Frames forward;
    private RunEvent.Frames reverse;
    private RunEvent.Field field;
    private RunEvent.Samples samples;

    public RunRecorder(String runId, StoreWriter writer) {
        this.runId = runId;
        this.writer = writer;
    }

    @Override
    public synchronized void onEvent(RunEvent event) {
        if (event instanceof RunEvent.StatusChanged changed) {
            RunStatus s = changed.status();
            boolean ended = s.state().isTerminal();
            if (ended) {
                handOverPictures();
            }
            writer.status(runId, new RunChanges.Status(s.state(), s.step(), s.error(),
                    ended ? System.currentTimeMillis() : 0));
        } else if (event instanceof RunEvent.LossPoints points) {
            writer.loss(runId, points.steps(), points.values());
        } else if (event instanceof RunEvent.MetricPoint m) {
            writer.metric(runId, m.step(), m.value());
        } else if (event instanceof RunEvent.Frames f) {
            if (f.kind().equals("forward")) {
                forward = f;
            } else {
                reverse = f;
            }
        } else if (event instanceof RunEvent.Field f) {
            field = f;
        } else if (event instanceof RunEvent.Samples s) {
            samples = s;
        }
    }

    /** The training sample the dashboard draws behind everything. */
    public synchronized void data(float[] xy) {
        data = xy;
    }

    /** Saves a checkpoint (a copy the caller no longer writes) together with the newest pictures. */
    public synchronized void checkpoint(Checkpoint checkpoint) {
        handOverPictures();
        writer.checkpoint(runId, checkpoint);
    }

    /** A resumed run trains again from {@code step}: its stored curves after it are dropped. */
    public void resumedFrom(long step) {
        writer.truncateAfter(runId, step);
    }

    private void handOverPictures() {
        if (data != null) {
            writer.data(runId, data);
        }
        for (RunEvent picture : new RunEvent[] {forward, reverse, field, samples}) {
            if (picture != null) {
                writer.picture(runId, picture);
            }
        }
        data = null;
        forward = null;
        reverse = null;
        field = null;
        samples = null;
    }
}
