package diffusionlab.web.security;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The teacher's signed-in browsers. Each sign-in gets a token of its own, {@code v2.<id>.<issued>.<expires>.<sig>}:
 * a random id, when it was issued and when it expires (epoch seconds), signed by {@link AdminToken#sign}. A token
 * is valid while its signature holds, it has not expired and its id is still live here: signing out revokes it
 * (a copied cookie dies with it), a new ADMIN_TOKEN voids every signature, and since the ids live in memory a
 * restart signs every teacher out (they sign in again). At most {@value #MAX_LIVE} sessions are live; past that
 * the oldest is dropped.
 */
final class TeacherSessions {
    static final Duration LIFETIME = Duration.ofHours(24);
    static final int MAX_LIVE = 1000;
    private static final String VERSION = "v2";
    private static final int MAX_TOKEN_LENGTH = 200;

    private final AdminToken admin;
    private final LongSupplier nowSeconds;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> live = new LinkedHashMap<>(); // id -> expiry, oldest first; guarded by this

    TeacherSessions(AdminToken admin, LongSupplier nowSeconds) {
        this.admin = admin;
        this.nowSeconds = nowSeconds;
    }

    /** A new session's token (the admin token must be {@link AdminToken#enabled}). */
    String open() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long issued = nowSeconds.getAsLong();
        long expires = issued + LIFETIME.toSeconds();
        synchronized (this) {
            live.values().removeIf(e -> e <= issued);
            for (Iterator<String> oldest = live.keySet().iterator(); live.size() >= MAX_LIVE; ) {
                oldest.next();
                oldest.remove();
            }
            live.put(id, expires);
        }
        String payload = String.join(".", VERSION, id, Long.toString(issued), Long.toString(expires));
        return payload + "." + admin.sign(payload);
    }

    /** Whether {@code token} (null when there is none) is a live session's. */
    boolean valid(String token) {
        return liveId(token) != null;
    }

    /** Revokes the session {@code token} belongs to, if any. */
    synchronized void close(String token) {
        String id = liveId(token);
        if (id != null) {
            live.remove(id);
        }
    }

    private String liveId(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        int sig = token.lastIndexOf('.');
        if (sig < 0 || !admin.verify(token.substring(0, sig), token.substring(sig + 1))) {
            return null; // forged, mangled or signed with another ADMIN_TOKEN
        }
        String[] parts = token.substring(0, sig).split("\\.");
        if (parts.length != 4 || !parts[0].equals(VERSION) || Long.parseLong(parts[3]) <= nowSeconds.getAsLong()) {
            return null;
        }
        synchronized (this) {
            return live.containsKey(parts[1]) ? parts[1] : null;
        }
    }
}
