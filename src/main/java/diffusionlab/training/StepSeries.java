package diffusionlab.training;

import java.util.Arrays;

/**
 * A growing series of (step, value) points in step order: a loss curve or a metric over training.
 * Not thread-safe: its owner guards it.
 */
public final class StepSeries {
    private long[] steps;
    private double[] values;
    private int size;

    public StepSeries() {
        this(256);
    }

    public StepSeries(int capacity) {
        steps = new long[Math.max(1, capacity)];
        values = new double[steps.length];
    }

    public void add(long step, double value) {
        ensure(size + 1);
        steps[size] = step;
        values[size] = value;
        size++;
    }

    /** Appends {@code min(steps.length, values.length)} points. */
    public void addAll(long[] steps, float[] values) {
        int n = Math.min(steps.length, values.length);
        ensure(size + n);
        System.arraycopy(steps, 0, this.steps, size, n);
        for (int i = 0; i < n; i++) {
            this.values[size + i] = values[i];
        }
        size += n;
    }

    public void addAll(StepSeries other) {
        ensure(size + other.size);
        System.arraycopy(other.steps, 0, steps, size, other.size);
        System.arraycopy(other.values, 0, values, size, other.size);
        size += other.size;
    }

    /** Drops the points after {@code step}. */
    public void truncateAfter(long step) {
        while (size > 0 && steps[size - 1] > step) {
            size--;
        }
    }

    /** Keeps only the newest {@code max} points. */
    public void keepLast(int max) {
        if (size > max) {
            System.arraycopy(steps, size - max, steps, 0, max);
            System.arraycopy(values, size - max, values, 0, max);
            size = max;
        }
    }

    public void clear() {
        size = 0;
    }

    private void ensure(int capacity) {
        if (capacity > steps.length) {
            int grown = Math.max(2 * steps.length, capacity);
            steps = Arrays.copyOf(steps, grown);
            values = Arrays.copyOf(values, grown);
        }
    }

    public long[] steps() {
        return Arrays.copyOf(steps, size);
    }

    public double[] values() {
        return Arrays.copyOf(values, size);
    }

    public float[] floatValues() {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) values[i];
        }
        return v;
    }

    /** The step of the newest point, or -1 when there is none. */
    public long lastStep() {
        return size == 0 ? -1 : steps[size - 1];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }
}
