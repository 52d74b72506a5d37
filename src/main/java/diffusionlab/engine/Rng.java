package diffusionlab.engine;

import java.util.SplittableRandom;

/**
 * The engine's only source of randomness: a seeded, splittable generator, so that every
 * result is a pure function of the seed. Not thread-safe; split one per consumer.
 */
public final class Rng {
    private final SplittableRandom random;

    public Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private Rng(SplittableRandom random) {
        this.random = random;
    }

    /** An independent stream, e.g. one for the data and one for the training noise. */
    public Rng split() {
        return new Rng(random.split());
    }

    /** z ~ N(0, 1). */
    public double gaussian() {
        return random.nextGaussian();
    }

    /** u ~ U[0, 1). */
    public double uniform() {
        return random.nextDouble();
    }

    /** u ~ U[lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** k ~ U{0, ..., n - 1}. */
    public int nextInt(int n) {
        return random.nextInt(n);
    }

    /** Fills {@code out} with N(0, 1) draws. */
    public void fillGaussian(float[] out, int from, int to) {
        for (int i = from; i < to; i++) {
            out[i] = (float) random.nextGaussian();
        }
    }

    /** A uniformly random permutation of 0..n-1 written into {@code perm} (Fisher-Yates). */
    public void shuffle(int[] perm) {
        for (int i = perm.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
    }
}
