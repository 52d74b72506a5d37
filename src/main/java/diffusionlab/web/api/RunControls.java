package diffusionlab.web.api;

import diffusionlab.training.Run;
import diffusionlab.training.RunRegistry;
import diffusionlab.web.RunLookup;
import diffusionlab.web.errors.HttpProblem;
import diffusionlab.web.json.StatusView;
import diffusionlab.web.security.RunPermissions;
import io.javalin.http.Context;
import java.util.function.Predicate;

/** {@code POST /api/runs/{id}/pause | resume | stop}: the owner's (or the admin's) controls; 403 for anyone else. */
public final class RunControls {
    private final RunLookup runs;
    private final RunPermissions permissions;

    public RunControls(RunRegistry registry, RunPermissions permissions) {
        this.runs = new RunLookup(registry);
        this.permissions = permissions;
    }

    public void pause(Context ctx) {
        control(ctx, Run::pause, "only a running run can be paused");
    }

    public void resume(Context ctx) {
        control(ctx, Run::resume, "only a paused run can be resumed");
    }

    public void stop(Context ctx) {
        control(ctx, Run::stop, "the run has already ended");
    }

    /** Applies the action as the owner or admin; 409 when the run's state does not allow it; answers the new status. */
    private void control(Context ctx, Predicate<Run> action, String refusal) {
        Run run = runs.require(ctx.pathParam("id"));
        permissions.requireControl(ctx, run);
        if (!action.test(run)) {
            throw HttpProblem.conflict(refusal + " (it is " + run.state().id() + ")");
        }
        ctx.json(StatusView.of(run.status()));
    }
}
