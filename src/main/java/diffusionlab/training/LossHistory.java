package diffusionlab.training;

import java.util.Arrays;

/** An append-only series of (step, value) points; callers synchronise (the Run's lock). */
final class LossHistory {
    private long[] steps = new long[256];
    private float[] values = new float[256];
    private int size;

    void add(long step, float value) {
        if (size == steps.length) {
            steps = Arrays.copyOf(steps, 2 * size);
            values = Arrays.copyOf(values, 2 * size);
        }
        steps[size] = step;
        values[size] = value;
        size++;
    }

    /** Drops the points after {@code step} (the points are in step order). */
    void truncateAfter(long step) {
        while (size > 0 && steps[size - 1] > step) {
            size--;
        }
    }

    long[] steps() {
        return Arrays.copyOf(steps, size);
    }

    float[] values() {
        return Arrays.copyOf(values, size);
    }

    int size() {
        return size;
    }
}
