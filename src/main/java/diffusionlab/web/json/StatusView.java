package diffusionlab.web.json;

import diffusionlab.training.RunStatus;

/**
 * A run's status as the API and the live socket send it. {@code startedAt} and {@code finishedAt} are the server's
 * clock (epoch ms) when training started in this process and when the run ended, 0 when not (or not known).
 */
public record StatusView(String id, String name, String objective, String state, boolean terminal, long step,
                         long totalSteps, double stepsPerSecond, double etaSeconds, int queuePosition,
                         String error, long skippedUpdates, long startedAt, long finishedAt) {

    public static StatusView of(RunStatus s) {
        return new StatusView(s.id(), s.name(), s.objective(), s.state().id(), s.state().isTerminal(), s.step(),
                s.totalSteps(), finite(s.stepsPerSecond()), finite(s.etaSeconds()), s.queuePosition(), s.error(),
                s.skippedUpdates(), s.startedAtMillis(), s.finishedAtMillis());
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : -1;
    }
}
