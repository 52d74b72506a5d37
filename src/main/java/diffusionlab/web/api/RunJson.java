package diffusionlab.web.api;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.training.Run;
import diffusionlab.training.RunHistory;
import diffusionlab.training.RunSnapshot;
import diffusionlab.web.json.ConfigJson;
import diffusionlab.web.json.StatusView;
import java.util.Locale;
import java.util.Map;

/** What the API says about runs: a line of the list, and the details of one. */
final class RunJson {
    private RunJson() {
    }

    /** {@code GET /api/runs}: one run in the list. */
    record Summary(String id, String name, String url, String summary, String objective, String dataset,
                   String state, long step, long totalSteps, double stepsPerSecond, long createdAt) {
    }

    /** {@code GET /api/runs/{id}} and the answer to {@code POST /api/runs}. */
    record Details(String id, String name, String url, String liveUrl, boolean owner, StatusView status,
                   Map<String, Object> config, Latest latest) {
    }

    /** The newest point of the loss curve and of the sample-quality metric (null before the first). */
    record Latest(Long lossStep, Float loss, Long metricStep, Double metric) {
    }

    static Summary summary(Run run) {
        var s = run.status();
        ExperimentConfig e = run.config().experiment();
        return new Summary(run.id(), s.name(), url(run), describe(e), e.objective().id(), e.dataset().id(),
                s.state().id(), s.step(), s.totalSteps(), s.stepsPerSecond(), run.createdAtMillis());
    }

    static Details details(Run run, boolean owner) {
        RunSnapshot snap = run.snapshot();
        RunHistory h = snap.history();
        int nl = h.lossSteps().length;
        int nm = h.metricSteps().length;
        Latest latest = new Latest(nl > 0 ? h.lossSteps()[nl - 1] : null, nl > 0 ? h.lossValues()[nl - 1] : null,
                nm > 0 ? h.metricSteps()[nm - 1] : null,
                nm > 0 && Double.isFinite(h.metricValues()[nm - 1]) ? h.metricValues()[nm - 1] : null);
        return new Details(run.id(), run.config().name(), url(run), url(run) + "/live", owner,
                StatusView.of(snap.status()), ConfigJson.of(run.config()), latest);
    }

    static String url(Run run) {
        return "/runs/" + run.id();
    }

    /** "ddpm_simple · swiss_roll · sigmoid T=100 · 128x3 · 30000 steps". */
    static String describe(ExperimentConfig e) {
        return String.format(Locale.ROOT, "%s · %s · %s T=%d · %dx%d · %d steps", e.objective().id(), e.dataset().id(),
                e.schedule().id(), e.timesteps(), e.hidden(), e.layers(), e.steps());
    }
}
