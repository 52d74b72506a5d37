package diffusionlab.training.store;

import diffusionlab.training.RunEvent;
import java.util.Arrays;

/**
 * What a run has published that outlives it: the loss and metric curves and the latest pictures (any of
 * which may be null when the run never drew them).
 */
public record RunHistory(long[] lossSteps, float[] lossValues, long[] metricSteps, double[] metricValues,
                         float[] data, RunEvent.Frames forward, RunEvent.Frames reverse, RunEvent.Field field,
                         RunEvent.Samples samples) {

    public static final RunHistory EMPTY = new RunHistory(new long[0], new float[0], new long[0], new double[0],
            null, null, null, null, null);

    /** The curves cut after {@code step} (a resumed run trains those steps again); the pictures are kept. */
    public RunHistory upTo(long step) {
        int nl = count(lossSteps, step);
        int nm = count(metricSteps, step);
        return new RunHistory(Arrays.copyOf(lossSteps, nl), Arrays.copyOf(lossValues, nl),
                Arrays.copyOf(metricSteps, nm), Arrays.copyOf(metricValues, nm), data, forward, reverse, field, samples);
    }

    private static int count(long[] steps, long last) {
        int n = 0;
        while (n < steps.length && steps[n] <= last) {
            n++;
        }
        return n;
    }
}
