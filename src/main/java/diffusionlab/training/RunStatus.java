package diffusionlab.training;

/** What a run list or a progress bar shows; immutable, published on every change. */
public record RunStatus(String id, String name, String objective, RunState state, long step, long totalSteps,
                        double stepsPerSecond, int queuePosition, String error, long createdAtMillis) {

    /** Seconds left at the current speed, or -1 when unknown. */
    public double etaSeconds() {
        return state == RunState.RUNNING && stepsPerSecond > 0 ? (totalSteps - step) / stepsPerSecond : -1;
    }
}
