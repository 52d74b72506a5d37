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
 * so it needs no CSRF cookie dance; a wrong one is a 401. Wrong keys, as bearer headers and on the sign-in form
 * alike, count in one limiter per client: past {@value #WRONG_KEYS_PER_MINUTE} a minute every key (even the
 * right one) is a 429 with Retry-After, so guessing gets nowhere.
 */
public final class AdminToken {
    public static final int MIN_LENGTH = 16;
    public static final int WRONG_KEYS_PER_MINUTE = 10;
    private static final String BEARER = "Bearer";
    private static final String HMAC = "HmacSHA256";

    private final byte[] expected; // null when no token is configured
    private final SecretKeySpec signingKey; // null when no token is configured
    private final ClientAddress address;
    private final RateLimiter wrongKeys = new RateLimiter(WRONG_KEYS_PER_MINUTE, WRONG_KEYS_PER_MINUTE);

    public AdminToken(String token, ClientAddress address) {
        this.expected = token == null || token.isBlank() ? null : sha256(token.strip());
        this.signingKey = expected == null ? null
                : new SecretKeySpec(hmac(new SecretKeySpec(expected, HMAC), "diffusion-lab teacher sessions v2"), HMAC);
        this.address = address;
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
        if (!guess(ctx, parts.length > 1 ? parts[1] : "")) {
            throw unauthorized(ctx, "the admin token is wrong");
        }
        return true;
    }

    /**
     * Whether {@code token}, presented by this request's client, is the admin token (false when none is
     * configured); a wrong one counts against the client, and a 429 comes instead once it has guessed wrong
     * {@value #WRONG_KEYS_PER_MINUTE} times in a minute.
     */
    public boolean guess(Context ctx, String token) {
        requireGuessesLeft(ctx);
        if (expected != null && MessageDigest.isEqual(sha256(token.strip()), expected)) {
            return true;
        }
        wrongKeys.tryAcquire(address.of(ctx), 1);
        return false;
    }

    /** A 429 once this request's client has guessed wrong too often: cheap, so it goes before reading a key. */
    public void requireGuessesLeft(Context ctx) {
        RateLimiter.Decision decision = wrongKeys.peek(address.of(ctx), 1);
        if (!decision.allowed()) {
            throw HttpProblem.tooManyRequests("too many wrong teacher keys (at most " + WRONG_KEYS_PER_MINUTE
                    + " a minute); try again in " + decision.retryAfterSeconds() + " s", decision.retryAfterSeconds());
        }
    }

    /**
     * A signature of {@code message} (base64url HMAC-SHA256) under a key derived from the admin token: it never
     * reveals the token, and every signature is void once ADMIN_TOKEN changes. Only when {@link #enabled}.
     */
    String sign(String message) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(signingKey, message));
    }

    /** Whether {@code signature} is {@link #sign}'s for {@code message} (constant time; false when not enabled). */
    boolean verify(String message, String signature) {
        return signingKey != null && MessageDigest.isEqual(sign(message).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(SecretKeySpec key, String message) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
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
