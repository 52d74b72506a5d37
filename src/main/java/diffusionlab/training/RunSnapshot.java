package diffusionlab.training;

/**
 * Everything a late viewer needs at once: the status, and the whole history so far with the newest pictures.
 * {@code timesteps} is the run's T (the dashboard's time axis).
 */
public record RunSnapshot(RunStatus status, RunConfig config, int timesteps, RunHistory history) {
}
