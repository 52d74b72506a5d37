package diffusionlab.training.store;

/**
 * How often a training run saves a checkpoint: after {@code everySteps} steps or {@code everyMillis}
 * milliseconds, whichever comes first (and always when it pauses or ends). A process killed mid-run
 * loses at most that much training.
 */
public record CheckpointPolicy(long everySteps, long everyMillis) {
    public static final CheckpointPolicy DEFAULT = new CheckpointPolicy(5_000, 10_000);

    public CheckpointPolicy {
        if (everySteps < 1 || everyMillis < 1) {
            throw new IllegalArgumentException("checkpoint intervals must be positive");
        }
    }

    public boolean due(long stepsSince, long nanosSince) {
        return stepsSince >= everySteps || nanosSince >= everyMillis * 1_000_000L;
    }
}
