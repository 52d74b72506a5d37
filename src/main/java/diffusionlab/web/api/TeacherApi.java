package diffusionlab.web.api;

import diffusionlab.web.errors.HttpProblem;
import diffusionlab.web.json.JsonBody;
import diffusionlab.web.security.AdminToken;
import diffusionlab.web.security.TeacherCookie;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/teacher}: GET says whether this server has a teacher key and whether this browser is signed in;
 * POST {@code {"token": "..."}} signs it in (401 naming {@code token} when the key is wrong, 409 when the server
 * has none, 429 past {@value AdminToken#WRONG_KEYS_PER_MINUTE} wrong keys a minute from one client, bearer headers
 * included); DELETE signs it out (and revokes the session).
 */
public final class TeacherApi {
    static final int MAX_TOKEN_LENGTH = 1000;

    /** The answer to all three. */
    record Session(boolean enabled, boolean signedIn) {
    }

    /** A key of at most {@link #MAX_TOKEN_LENGTH} characters in a JSON object: a few kilobytes at most. */
    static final int MAX_BODY_BYTES = 4 * MAX_TOKEN_LENGTH + 100;

    private final TeacherCookie teacher;
    private final JsonBody body;

    public TeacherApi(TeacherCookie teacher, JsonBody body) {
        this.teacher = teacher;
        this.body = body;
    }

    public void get(Context ctx) {
        ctx.json(new Session(teacher.enabled(), teacher.signedIn(ctx)));
    }

    public void signIn(Context ctx) {
        teacher.requireGuessesLeft(ctx); // a locked-out client's body is not even read
        Map<String, Object> request = body.readObject(ctx, Set.of("token"), MAX_BODY_BYTES);
        if (!(request.get("token") instanceof String token) || token.isBlank()) {
            throw HttpProblem.badRequest("token: the teacher key (ADMIN_TOKEN), a string", "token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw HttpProblem.badRequest("token: at most " + MAX_TOKEN_LENGTH + " characters", "token");
        }
        teacher.signIn(ctx, token);
        ctx.json(new Session(true, true));
    }

    public void signOut(Context ctx) {
        teacher.signOut(ctx);
        ctx.json(new Session(teacher.enabled(), false));
    }
}
