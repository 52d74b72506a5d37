package diffusionlab.web.security;

import diffusionlab.web.errors.HttpProblem;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A browser signed in as the teacher: it proved once that it knows {@code ADMIN_TOKEN} and holds
 * {@link AdminToken#sessionValue()} in an HttpOnly, SameSite=Strict cookie for 30 days. With it the dashboard
 * shows the controls of every run, as the bearer header does for curl.
 */
public final class TeacherCookie {
    public static final String NAME = "dl_teacher";
    static final int MAX_AGE_SECONDS = 30 * 24 * 3600;

    private final AdminToken admin;
    private final ClientAddress address;

    public TeacherCookie(AdminToken admin, ClientAddress address) {
        this.admin = admin;
        this.address = address;
    }

    public boolean enabled() {
        return admin.enabled();
    }

    /** Whether this browser holds a valid teacher cookie (a stale or forged one is simply not signed in). */
    public boolean signedIn(Context ctx) {
        String value = ctx.cookie(NAME);
        String expected = admin.sessionValue();
        return value != null && expected != null && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII));
    }

    /** Signs this browser in if {@code token} is the admin token; 401 naming the field when it is not. */
    public void signIn(Context ctx, String token) {
        if (!admin.enabled()) {
            throw HttpProblem.conflict("this server has no teacher key: start it with ADMIN_TOKEN set");
        }
        if (!admin.matches(token)) {
            throw HttpProblem.unauthorized("that is not the teacher key", "token");
        }
        ctx.cookie(cookie(admin.sessionValue(), MAX_AGE_SECONDS, ctx));
    }

    public void signOut(Context ctx) {
        ctx.cookie(cookie("", 0, ctx));
    }

    private Cookie cookie(String value, int maxAge, Context ctx) {
        return new Cookie(NAME, value, "/", maxAge, address.isHttps(ctx), 0, true, null, null, SameSite.STRICT);
    }
}
