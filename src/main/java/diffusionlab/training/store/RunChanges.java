package diffusionlab.training.store;

import diffusionlab.training.RunEvent;
import diffusionlab.training.RunState;
import java.util.Arrays;

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
    private long[] lossSteps = new long[16];
    private float[] lossValues = new float[16];
    private int lossCount;
    private long[] metricSteps = new long[4];
    private double[] metricValues = new double[4];
    private int metricCount;
    private float[] data;
    private RunEvent.Frames forward;
    private RunEvent.Frames reverse;
    private RunEvent.Field field;
    private RunEvent.Samples samples;
    private Checkpoint checkpoint;
    private Status status;

    public RunChanges(String runId) {
        this.runId = runId;
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
        return Arrays.copyOf(lossSteps, lossCount);
    }

    public float[] lossValues() {
        return Arrays.copyOf(lossValues, lossCount);
    }

    public long[] metricSteps() {
        return Arrays.copyOf(metricSteps, metricCount);
    }

    public double[] metricValues() {
        return Arrays.copyOf(metricValues, metricCount);
    }

    public float[] data() {
        return data;
    }

    public RunEvent.Frames forward() {
        return forward;
    }

    public RunEvent.Frames reverse() {
        return reverse;
    }

    public RunEvent.Field field() {
        return field;
    }

    public RunEvent.Samples samples() {
        return samples;
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    public Status status() {
        return status;
    }

    public boolean isEmpty() {
        return insert == null && truncateAfter < 0 && lossCount == 0 && metricCount == 0 && data == null
                && forward == null && reverse == null && field == null && samples == null && checkpoint == null
                && status == null;
    }

    // --- collecting ---------------------------------------------------------------------------------

    void insert(StoredRun run) {
        insert = run;
    }

    void truncateAfter(long step) {
        lossCount = keep(lossSteps, lossCount, step);
        metricCount = keep(metricSteps, metricCount, step);
        truncateAfter = truncateAfter < 0 ? step : Math.min(truncateAfter, step);
    }

    private static int keep(long[] steps, int count, long last) {
        int n = 0;
        while (n < count && steps[n] <= last) {
            n++;
        }
        return n;
    }

    void loss(long[] steps, float[] values) {
        int n = Math.min(steps.length, values.length);
        if (lossCount + n > lossSteps.length) {
            int size = Math.max(2 * lossSteps.length, lossCount + n);
            lossSteps = Arrays.copyOf(lossSteps, size);
            lossValues = Arrays.copyOf(lossValues, size);
        }
        System.arraycopy(steps, 0, lossSteps, lossCount, n);
        System.arraycopy(values, 0, lossValues, lossCount, n);
        lossCount += n;
    }

    void metric(long step, double value) {
        if (metricCount == metricSteps.length) {
            metricSteps = Arrays.copyOf(metricSteps, 2 * metricCount);
            metricValues = Arrays.copyOf(metricValues, 2 * metricCount);
        }
        metricSteps[metricCount] = step;
        metricValues[metricCount] = value;
        metricCount++;
    }

    void data(float[] xy) {
        data = xy;
    }

    void picture(RunEvent event) {
        if (event instanceof RunEvent.Frames f) {
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

    void checkpoint(Checkpoint c) {
        checkpoint = c;
    }

    void status(Status s) {
        status = s;
    }

    /** Adds changes collected after these (a failed write is retried together with what came since). */
    void absorb(RunChanges newer) {
        if (newer.insert != null) {
            insert = newer.insert;
        }
        if (newer.truncateAfter >= 0) {
            truncateAfter(newer.truncateAfter);
        }
        loss(newer.lossSteps(), newer.lossValues());
        for (int i = 0; i < newer.metricCount; i++) {
            metric(newer.metricSteps[i], newer.metricValues[i]);
        }
        data = newer.data != null ? newer.data : data;
        forward = newer.forward != null ? newer.forward : forward;
        reverse = newer.reverse != null ? newer.reverse : reverse;
        field = newer.field != null ? newer.field : field;
        samples = newer.samples != null ? newer.samples : samples;
        checkpoint = newer.checkpoint != null ? newer.checkpoint : checkpoint;
        status = newer.status != null ? newer.status : status;
    }
}
