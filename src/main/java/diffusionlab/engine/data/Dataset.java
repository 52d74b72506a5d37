package diffusionlab.engine.data;

import diffusionlab.engine.Rng;

/**
 * A source of 2D training points: a built-in distribution, or the user's own points.
 * {@link #sample} draws fresh i.i.d. points, so held-out data for the quality metric is free.
 */
public final class Dataset {
    public static final int MIN_POINTS = 10;
    public static final int MAX_POINTS = 100_000;

    private final DatasetKind kind;
    private final double noise;
    private final float[] userPoints; // [m, 2], only for POINTS

    private Dataset(DatasetKind kind, double noise, float[] userPoints) {
        this.kind = kind;
        this.noise = noise;
        this.userPoints = userPoints;
    }

    public static Dataset of(DatasetKind kind, double noise) {
        if (kind == DatasetKind.POINTS) {
            throw new IllegalArgumentException("use Dataset.ofPoints for the points dataset");
        }
        return new Dataset(kind, noise, null);
    }

    /** The user's points, a flat [m, 2] array of finite numbers, MIN_POINTS <= m <= MAX_POINTS. */
    public static Dataset ofPoints(float[] xy, double noise) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("points must come in (x, y) pairs");
        }
        int m = xy.length / 2;
        if (m < MIN_POINTS || m > MAX_POINTS) {
            throw new IllegalArgumentException("points: between " + MIN_POINTS + " and " + MAX_POINTS
                    + " pairs, got " + m);
        }
        for (float v : xy) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("points: every coordinate must be a finite number");
            }
        }
        return new Dataset(DatasetKind.POINTS, noise, xy.clone());
    }

    public DatasetKind kind() {
        return kind;
    }

    /** n fresh points, flat [n, 2]. */
    public float[] sample(int n, Rng rng) {
        float[] out = new float[2 * n];
        if (kind != DatasetKind.POINTS) {
            kind.draw(n, noise, rng, out);
            return out;
        }
        int m = userPoints.length / 2;
        for (int i = 0; i < n; i++) {
            int j = n == m ? i : rng.nextInt(m);
            out[2 * i] = (float) (userPoints[2 * j] + noise * rng.gaussian());
            out[2 * i + 1] = (float) (userPoints[2 * j + 1] + noise * rng.gaussian());
        }
        return out;
    }
}
