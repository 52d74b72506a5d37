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
 * <p>
 * {@link #shared Shared} sessions, for web instances behind one address (the web role, docs/SCALING.md), are
 * valid on every instance that has the same ADMIN_TOKEN: a token is valid while its signature holds and it has not
 * expired, whichever instance issued it, and a restart signs nobody out. Signing out clears the browser's cookie
 * and revokes the token on the instance that answered only: a copy of the cookie stays valid elsewhere until it
 * expires, or until ADMIN_TOKEN changes.
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
    private final Map<String, Long> revoked = new LinkedHashMap<>(); // shared: id -> expiry, signed out here
    private final boolean shared;

    TeacherSessions(AdminToken admin, LongSupplier nowSeconds) {
        this(admin, nowSeconds, false);
    }

    private TeacherSessions(AdminToken admin, LongSupplier nowSeconds, boolean shared) {
        this.admin = admin;
        this.nowSeconds = nowSeconds;
        this.shared = shared;
    }

    /** Sessions valid on every web instance with the same ADMIN_TOKEN (see the class comment). */
    static TeacherSessions shared(AdminToken admin, LongSupplier nowSeconds) {
        return new TeacherSessions(admin, nowSeconds, true);
    }

    /** A new session's token (the admin token must be {@link AdminToken#enabled}). */
    String open() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long issued = nowSeconds.getAsLong();
        long expires = issued + LIFETIME.toSeconds();
        if (!shared) {
            remember(live, id, expires, issued);
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
        if (id == null) {
            return;
        }
        if (shared) {
            remember(revoked, id, Long.parseLong(token.split("\\.")[3]), nowSeconds.getAsLong());
        } else {
            live.remove(id);
        }
    }

    /** Adds a session to {@code ids}, dropping the expired ones and, past {@value #MAX_LIVE}, the oldest. */
    private synchronized void remember(Map<String, Long> ids, String id, long expires, long now) {
        ids.values().removeIf(e -> e <= now);
        for (Iterator<String> oldest = ids.keySet().iterator(); ids.size() >= MAX_LIVE; ) {
            oldest.next();
            oldest.remove();
        }
        ids.put(id, expires);
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
            boolean valid = shared ? !revoked.containsKey(parts[1]) : live.containsKey(parts[1]);
            return valid ? parts[1] : null;
        }
    }
}
