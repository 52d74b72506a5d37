package diffusionlab.web.security;

import diffusionlab.training.SharedDocument;
import diffusionlab.web.errors.HttpProblem;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

/**
 * A browser signed in as the teacher: it proved once that it knows {@code ADMIN_TOKEN} and holds a session token
 * of its own ({@link TeacherSessions}: random, expiring, signed, revoked on sign-out) in an HttpOnly,
 * SameSite=Strict cookie. With it the dashboard shows the controls of every run, as the bearer header does for
 * curl.
 */
public final class TeacherCookie {
    public static final String NAME = "dl_teacher";
    /** The name of the shared document of the sessions signed out (the web role). */
    public static final String SIGNED_OUT = "teacher.signed-out";

    private final AdminToken admin;
    private final ClientAddress address;
    private final TeacherSessions sessions;

    /** The sessions of this process only (the single process). */
    public TeacherCookie(AdminToken admin, ClientAddress address) {
        this.admin = admin;
        this.address = address;
        this.sessions = new TeacherSessions(admin, TeacherCookie::nowSeconds);
    }

    /**
     * Web instances behind one address (the web role) accept each other's sessions ({@link TeacherSessions#shared}),
     * all signed with the key derived from the ADMIN_TOKEN they share, and sign them out on all of them through
     * the shared document {@code signedOut}.
     */
    public TeacherCookie(AdminToken admin, ClientAddress address, SharedDocument signedOut) {
        this.admin = admin;
        this.address = address;
        this.sessions = TeacherSessions.shared(admin, TeacherCookie::nowSeconds, signedOut);
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    public boolean enabled() {
        return admin.enabled();
    }

    /** Whether this browser holds a live teacher session (a stale, revoked or forged one is simply not signed in). */
    public boolean signedIn(Context ctx) {
        return sessions.valid(ctx.cookie(NAME));
    }

    /**
     * Signs this browser in if {@code token} is the admin token: 401 naming the field when it is not, 429 after
     * too many wrong keys ({@link AdminToken#guess}).
     */
    /** A 429 before the key is even read when this client has guessed wrong too often. */
    public void requireGuessesLeft(Context ctx) {
        admin.requireGuessesLeft(ctx);
    }

    public void signIn(Context ctx, String token) {
        if (!admin.enabled()) {
            throw HttpProblem.conflict("this server has no teacher key: start it with ADMIN_TOKEN set");
        }
        if (!admin.guess(ctx, token)) {
            throw HttpProblem.unauthorized("that is not the teacher key", "token");
        }
        ctx.cookie(cookie(sessions.open(), (int) TeacherSessions.LIFETIME.toSeconds(), ctx));
    }

    /** Revokes this browser's session (so a copy of its cookie is worth nothing) and clears the cookie. */
    public void signOut(Context ctx) {
        sessions.close(ctx.cookie(NAME));
        ctx.cookie(cookie("", 0, ctx));
    }

    private Cookie cookie(String value, int maxAge, Context ctx) {
        return new Cookie(NAME, value, "/", maxAge, address.isHttps(ctx), 0, true, null, null, SameSite.STRICT);
    }
}
