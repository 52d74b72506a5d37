package diffusionlab.web.pages;

import diffusionlab.training.Run;
import diffusionlab.training.RunStatus;

/** One line of the runs list. */
public record RunRow(String id, String name, String objective, String dataset, String state, long step,
                     long totalSteps) {

    public static RunRow of(Run run) {
        RunStatus s = run.status();
        return new RunRow(run.id(), s.name(), s.objective(), run.config().experiment().dataset().id(),
                s.state().id(), s.step(), s.totalSteps());
    }

    public int percent() {
        return totalSteps <= 0 ? 0 : (int) Math.min(100, 100 * step / totalSteps);
    }
}
