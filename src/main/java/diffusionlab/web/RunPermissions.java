package diffusionlab.web;

import diffusionlab.training.Run;
import io.javalin.http.Context;

/**
 * Who may pause, resume, stop and delete a run: the browser that started it ({@link OwnerCookie}, which
 * matches the run's stored owner hash, so it still works after a restart), or the teacher
 * ({@link AdminToken}). Everyone else only watches.
 */
public final class RunPermissions {
    private final OwnerCookie owner;
    private final AdminToken admin;

    public RunPermissions(OwnerCookie owner, AdminToken admin) {
        this.owner = owner;
        this.admin = admin;
    }

    /** Whether this request may control the run (a wrong admin token is still a 401). */
    public boolean mayControl(Context ctx, Run run) {
        return admin.isAdmin(ctx) || owner.owns(ctx, run);
    }

    /** Throws 403 unless {@link #mayControl}. */
    public void requireControl(Context ctx, Run run) {
        if (!mayControl(ctx, run)) {
            throw HttpProblem.forbidden("only the browser that started this run (or the teacher, with the admin "
                    + "token) can control it");
        }
    }
}
