package diffusionlab.web.security;

import diffusionlab.training.Run;
import diffusionlab.web.errors.HttpProblem;
import io.javalin.http.Context;

/**
 * Who may pause, resume, stop and delete a run: the browser that started it ({@link OwnerCookie}, which
 * matches the run's stored owner hash, so it still works after a restart), or the teacher (the
 * {@link AdminToken} as a bearer header, or a browser signed in with it, {@link TeacherCookie}). Everyone else
 * only watches.
 */
public final class RunPermissions {
    private final OwnerCookie owner;
    private final AdminToken admin;
    private final TeacherCookie teacher;

    public RunPermissions(OwnerCookie owner, AdminToken admin, TeacherCookie teacher) {
        this.owner = owner;
        this.admin = admin;
        this.teacher = teacher;
    }

    /** Whether this request may control the run (a wrong admin token is still a 401). */
    public boolean mayControl(Context ctx, Run run) {
        return isTeacher(ctx) || owner.owns(ctx, run);
    }

    /** Whether the request comes from the browser that started the run. */
    public boolean owns(Context ctx, Run run) {
        return owner.owns(ctx, run);
    }

    /** 403 unless the request comes from the teacher; {@code action} says what was refused. */
    public void requireTeacher(Context ctx, String action) {
        if (!isTeacher(ctx)) {
            throw HttpProblem.forbidden("only the teacher (signed in on /teacher) can " + action);
        }
    }

    /** Whether the request comes from the teacher: the admin token as a bearer, or a browser signed in with it. */
    public boolean isTeacher(Context ctx) {
        return admin.isAdmin(ctx) || teacher.signedIn(ctx);
    }

    /** Throws 403 unless {@link #mayControl}. */
    public void requireControl(Context ctx, Run run) {
        if (!mayControl(ctx, run)) {
            throw HttpProblem.forbidden("only the browser that started this run (or the teacher, signed in "
                    + "with the admin token) can control it");
        }
    }
}
