package diffusionlab.training.store;

import diffusionlab.training.Pictures;
import diffusionlab.training.RunEvent;
import diffusionlab.training.RunState;
import diffusionlab.training.StepSeries;
import java.util.List;

/**
 * Everything to write for one run in one transaction, applied in this order: insert the run, cut its
 * curves after a step (a resumed run), append loss and metric points, replace pictures, replace the
 * checkpoint, update the status. The writer collects these between flushes, newest pictures, checkpoint and
 * status winning; only the writer's thread touches one.
 */
public final class RunChanges {
    /** The run's state, step and error as of the last event; {@code finishedAtMillis} 0 while it runs. */
    public record Status(RunState state, long step, String error, long finishedAtMillis) {
    }

    private final String runId;
    private StoredRun insert;
    private long truncateAfter = -1;
    private final StepSeries loss = new StepSeries(16);
    private final StepSeries metric = new StepSeries(4);
    private final Pictures pictures = new Pictures();
    private Checkpoint checkpoint;
    private Status status;
    private long lease = -1;

    public RunChanges(String runId) {
        this.runId = runId;
    }

    /** Only the insert of a new run (written at once by a web instance, docs/SCALING.md). */
    public static RunChanges inserting(StoredRun run) {
        RunChanges changes = new RunChanges(run.id());
        changes.insert(run);
        return changes;
    }

    public String runId() {
        return runId;
    }

    // --- what to write ------------------------------------------------------------------------------

    public StoredRun insert() {
        return insert;
    }

    /** The step after which stored curve points are deleted, or -1. */
    public long truncateAfter() {
        return truncateAfter;
    }

    public long[] lossSteps() {
        return loss.steps();
    }

    public float[] lossValues() {
        return loss.floatValues();
    }

    public long[] metricSteps() {
        return metric.steps();
    }

    public double[] metricValues() {
        return metric.values();
    }

    /** The newest picture of each kind drawn since the last write. */
    public List<RunEvent.Picture> pictures() {
        return pictures.all();
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    public Status status() {
        return status;
    }

    /** The lease generation a worker's write must still hold (the run's fence), or -1 outside the worker role. */
    public long lease() {
        return lease;
    }

    public boolean isEmpty() {
        return insert == null && truncateAfter < 0 && loss.isEmpty() && metric.isEmpty() && pictures.isEmpty()
                && checkpoint == null && status == null;
    }

    // --- collecting ---------------------------------------------------------------------------------

    void insert(StoredRun run) {
        insert = run;
    }

    void truncateAfter(long step) {
        loss.truncateAfter(step);
        metric.truncateAfter(step);
        truncateAfter = truncateAfter < 0 ? step : Math.min(truncateAfter, step);
    }

    void loss(long[] steps, float[] values) {
        loss.addAll(steps, values);
    }

    void metric(long step, double value) {
        metric.add(step, value);
    }

    void picture(RunEvent.Picture picture) {
        pictures.keep(picture);
    }

    void checkpoint(Checkpoint c) {
        checkpoint = c;
    }

    void status(Status s) {
        status = s;
    }

    void lease(long generation) {
        lease = generation;
    }

    /** Adds changes collected after these (a failed write is retried together with what came since). */
    void absorb(RunChanges newer) {
        if (newer.insert != null) {
            insert = newer.insert;
        }
        if (newer.truncateAfter >= 0) {
            truncateAfter(newer.truncateAfter);
        }
        loss.addAll(newer.loss);
        metric.addAll(newer.metric);
        pictures.keepAll(newer.pictures.all());
        checkpoint = newer.checkpoint != null ? newer.checkpoint : checkpoint;
        status = newer.status != null ? newer.status : status;
        lease = Math.max(lease, newer.lease);
    }
}
