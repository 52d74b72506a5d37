package diffusionlab.training;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a run has published that outlives it: the loss and metric curves and the newest picture of each kind
 * (a kind it never drew is absent).
 */
public record RunHistory(long[] lossSteps, float[] lossValues, long[] metricSteps, double[] metricValues,
                         Map<PictureKind, RunEvent.Picture> pictures) {

    public static final RunHistory EMPTY = new RunHistory(new long[0], new float[0], new long[0], new double[0],
            Map.of());

    public RunHistory {
        EnumMap<PictureKind, RunEvent.Picture> copy = new EnumMap<>(PictureKind.class);
        pictures.forEach((kind, picture) -> {
            if (picture != null) {
                copy.put(kind, picture);
            }
        });
        pictures = Collections.unmodifiableMap(copy);
    }

    /** The newest picture of that kind, or null. */
    public RunEvent.Picture picture(PictureKind kind) {
        return pictures.get(kind);
    }

    /** The newest picture of that kind as the record it is drawn as (e.g. {@code Samples.class}), or null. */
    public <P extends RunEvent.Picture> P picture(PictureKind kind, Class<P> shape) {
        return shape.cast(pictures.get(kind));
    }

    /** The training sample the pictures are drawn over, or null before the run has started. */
    public float[] data() {
        return pictures.get(PictureKind.DATA) instanceof RunEvent.Data d ? d.cloud() : null;
    }

    /** The curves cut after {@code step} (a resumed run trains those steps again); the pictures are kept. */
    public RunHistory upTo(long step) {
        int nl = count(lossSteps, step);
        int nm = count(metricSteps, step);
        return new RunHistory(Arrays.copyOf(lossSteps, nl), Arrays.copyOf(lossValues, nl),
                Arrays.copyOf(metricSteps, nm), Arrays.copyOf(metricValues, nm), pictures);
    }

    private static int count(long[] steps, long last) {
        int n = 0;
        while (n < steps.length && steps[n] <= last) {
            n++;
        }
        return n;
    }
}
