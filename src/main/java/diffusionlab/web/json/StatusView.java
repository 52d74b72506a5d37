package diffusionlab.web.json;

import diffusionlab.training.RunStatus;

/** A run's status as the API and the live socket send it. */
public record StatusView(String id, String name, String objective, String state, boolean terminal, long step,
                         long totalSteps, double stepsPerSecond, double etaSeconds, int queuePosition,
                         String error, long skippedUpdates) {

    public static StatusView of(RunStatus s) {
        return new StatusView(s.id(), s.name(), s.objective(), s.state().id(), s.state().isTerminal(), s.step(),
                s.totalSteps(), finite(s.stepsPerSecond()), finite(s.etaSeconds()), s.queuePosition(), s.error(),
                s.skippedUpdates());
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : -1;
    }
}
