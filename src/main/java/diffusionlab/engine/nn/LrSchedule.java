package diffusionlab.engine.nn;

import java.util.Locale;

/**
 * The learning rate over a run of K steps, as a factor of the configured η (Adam's step size at step k is η·f(k)).
 * <ul>
 * <li>{@code constant}: f(k) = 1 (the notebook).</li>
 * <li>{@code cosine}: a linear warm-up over the first W = min(K/20, 500) steps (Goyal et al. 2017), then a half
 * cosine to zero at the run's last step (Loshchilov &amp; Hutter 2017, SGDR without restarts):
 * f(k) = k / W for k &lt; W, else ½ (1 + cos(π (k − W) / (K − W))). A short run anneals as fully as a long one.</li>
 * </ul>
 */
public enum LrSchedule {
    CONSTANT, COSINE;

    /** The warm-up's longest length, in steps. */
    public static final long MAX_WARMUP = 500;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** f(k) for the optimiser step k = 1, 2, …, K of a run of {@code total} = K steps (k past K: as at K). */
    public double factor(long k, long total) {
        return switch (this) {
            case CONSTANT -> 1.0;
            case COSINE -> {
                long warmup = warmup(total);
                if (k < warmup) {
                    yield (double) k / warmup;
                }
                double progress = total <= warmup ? 1.0 : Math.min(1.0, (double) (k - warmup) / (total - warmup));
                yield 0.5 * (1 + Math.cos(Math.PI * progress));
            }
        };
    }

    /** W = min(K/20, {@link #MAX_WARMUP}), at least 1. */
    static long warmup(long total) {
        return Math.max(1, Math.min(total / 20, MAX_WARMUP));
    }
}
