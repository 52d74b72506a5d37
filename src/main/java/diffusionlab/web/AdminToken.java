package diffusionlab.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The teacher's key ({@code ADMIN_TOKEN}): a request with {@code Authorization: Bearer <token>} may pause,
 * resume, stop and delete any run. Only the SHA-256 of the token is kept, and a presented token is hashed and
 * compared with {@link MessageDigest#isEqual} (constant time, and equal lengths whatever was sent). A bearer
 * header is never sent by a browser on its own, so it needs no CSRF cookie dance; a wrong one is a 401.
 */
public final class AdminToken {
    public static final int MIN_LENGTH = 16;
    private static final String BEARER = "Bearer";

    private final byte[] expected; // null when no token is configured

    public AdminToken(String token) {
        this.expected = token == null || token.isBlank() ? null : sha256(token.strip());
    }

    public boolean enabled() {
        return expected != null;
    }

    /**
     * True when the request carries the right bearer token; false when it carries none (or another scheme);
     * a 401 when it carries a bearer token that is wrong (or when no admin token is configured), so a mistyped
     * token is not mistaken for a 403.
     */
    public boolean isAdmin(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            return false;
        }
        String[] parts = header.strip().split("\\s+", 2);
        if (!parts[0].equalsIgnoreCase(BEARER)) {
            return false; // another scheme (e.g. a proxy's Basic auth) is not ours to judge
        }
        if (expected == null) {
            throw unauthorized(ctx, "this server has no admin token (set ADMIN_TOKEN)");
        }
        byte[] presented = sha256(parts.length > 1 ? parts[1].strip() : "");
        if (!MessageDigest.isEqual(presented, expected)) {
            throw unauthorized(ctx, "the admin token is wrong");
        }
        return true;
    }

    private static HttpProblem unauthorized(Context ctx, String message) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"diffusion-lab\"");
        return HttpProblem.unauthorized(message);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
