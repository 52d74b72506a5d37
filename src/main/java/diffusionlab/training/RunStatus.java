package diffusionlab.training;

/**
 * What a run list or a progress bar shows; immutable, published on every change. {@code skippedUpdates} counts
 * the steps whose gradient was not finite and so changed no weight (a sign the run is close to diverging).
 * {@code startedAtMillis} is when a worker took the run in this process (0 before, and for a run read back from
 * the store as it ended), {@code finishedAtMillis} when it ended (0 while it has not).
 */
public record RunStatus(String id, String name, String objective, RunState state, long step, long totalSteps,
                        double stepsPerSecond, int queuePosition, String error, long skippedUpdates,
                        long createdAtMillis, long startedAtMillis, long finishedAtMillis) {

    /** Seconds left at the current speed, or -1 when unknown. */
    public double etaSeconds() {
        return state == RunState.RUNNING && stepsPerSecond > 0 ? (totalSteps - step) / stepsPerSecond : -1;
    }
}
