package diffusionlab.web.security;

import diffusionlab.web.errors.HttpProblem;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The teacher's key ({@code ADMIN_TOKEN}): a request with {@code Authorization: Bearer <token>} may pause,
 * resume, stop and delete any run, and so may a browser signed in with it ({@link TeacherCookie}). Only the
 * SHA-256 of the token is kept, and a presented token is hashed and compared with {@link MessageDigest#isEqual}
 * (constant time, and equal lengths whatever was sent). A bearer header is never sent by a browser on its own,
 * so it needs no CSRF cookie dance; a wrong one is a 401.
 */
public final class AdminToken {
    public static final int MIN_LENGTH = 16;
    private static final String BEARER = "Bearer";

    private final byte[] expected; // null when no token is configured
    private final String sessionValue; // null when no token is configured

    public AdminToken(String token) {
        this.expected = token == null || token.isBlank() ? null : sha256(token.strip());
        this.sessionValue = expected == null ? null : hmac(expected);
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
        if (!matches(parts.length > 1 ? parts[1] : "")) {
            throw unauthorized(ctx, "the admin token is wrong");
        }
        return true;
    }

    /** Whether {@code token} is the admin token (false when none is configured). */
    public boolean matches(String token) {
        return expected != null && MessageDigest.isEqual(sha256(token.strip()), expected);
    }

    /**
     * What a signed-in teacher's cookie holds: HMAC-SHA256 keyed with the token's hash, so the cookie never
     * reveals the token, stays valid across restarts, and every cookie is void once ADMIN_TOKEN changes.
     * Null when no token is configured.
     */
    public String sessionValue() {
        return sessionValue;
    }

    private static String hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] tag = mac.doFinal("diffusion-lab teacher session v1".getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
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
