package diffusionlab.web.security;

import diffusionlab.training.Run;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Who may control a run: the browser that created it. Each browser gets one random secret in an HttpOnly,
 * SameSite=Lax cookie the first time it starts a run; a run keeps only the SHA-256 of that secret.
 */
public final class OwnerCookie {
    public static final String NAME = "dl_owner";
    private static final int MAX_AGE_SECONDS = 365 * 24 * 3600;
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecureRandom random = new SecureRandom();
    private final ClientAddress address;

    public OwnerCookie(ClientAddress address) {
        this.address = address;
    }

    /** The hash of this browser's secret, creating the secret (and setting the cookie) when it has none. */
    public String ownerHash(Context ctx) {
        String secret = secretOf(ctx);
        if (secret == null) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            ctx.cookie(new Cookie(NAME, secret, "/", MAX_AGE_SECONDS, address.isHttps(ctx), 0, true, null, null,
                    SameSite.LAX));
        }
        return hash(secret);
    }

    /** Whether the request comes from the browser that created the run. */
    public boolean owns(Context ctx, Run run) {
        String secret = secretOf(ctx);
        return secret != null && run.ownerHash() != null && MessageDigest.isEqual(
                hash(secret).getBytes(StandardCharsets.US_ASCII), run.ownerHash().getBytes(StandardCharsets.US_ASCII));
    }

    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String secretOf(Context ctx) {
        String value = ctx.cookie(NAME);
        return value != null && WELL_FORMED.matcher(value).matches() ? value : null;
    }
}
