package diffusionlab.web.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.SharedDocument;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The teacher's signed-in browsers. Each sign-in gets a token of its own, {@code v2.<id>.<issued>.<expires>.<sig>}:
 * a random id, when it was issued and when it expires (epoch seconds), signed by {@link AdminToken#sign}. A token
 * is valid while its signature holds, it has not expired and its id is still live here: signing out revokes it
 * (a copied cookie dies with it), a new ADMIN_TOKEN voids every signature, and since the ids live in memory a
 * restart signs every teacher out (they sign in again). At most {@value #MAX_LIVE} sessions are live; past that
 * the oldest is dropped.
 * <p>
 * {@link #shared Shared} sessions, for web instances behind one address (the web role, docs/SCALING.md), are
 * valid on every instance that has the same ADMIN_TOKEN: a token is valid while its signature holds, it has not
 * expired and it was not signed out, whichever instance issued it, and a restart signs nobody out. Signing out
 * clears the browser's cookie and revokes the token on every instance: the signed-out ids (with their expiry) are
 * a {@link SharedDocument} the instances share, of the {@value #MAX_SHARED_REVOKED} that expire last (past that,
 * a copy of an older signed-out cookie stays valid on the other instances until it expires).
 */
final class TeacherSessions {
    static final Duration LIFETIME = Duration.ofHours(24);
    static final int MAX_LIVE = 1000;
    /** Signed-out ids in the shared document: 100 of about 36 characters fit its 4,000. */
    static final int MAX_SHARED_REVOKED = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(TeacherSessions.class);
    private static final String VERSION = "v2";
    private static final int MAX_TOKEN_LENGTH = 200;

    private final AdminToken admin;
    private final LongSupplier nowSeconds;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> live = new LinkedHashMap<>(); // id -> expiry, oldest first; guarded by this
    private final Map<String, Long> revoked = new LinkedHashMap<>(); // shared: id -> expiry, signed out here
    private final boolean shared;
    private final SharedDocument signedOut; // shared: the ids signed out on any instance

    TeacherSessions(AdminToken admin, LongSupplier nowSeconds) {
        this(admin, nowSeconds, null);
    }

    private TeacherSessions(AdminToken admin, LongSupplier nowSeconds, SharedDocument signedOut) {
        this.admin = admin;
        this.nowSeconds = nowSeconds;
        this.shared = signedOut != null;
        this.signedOut = signedOut;
    }

    /**
     * Sessions valid on every web instance with the same ADMIN_TOKEN, signed out on all of them through
     * {@code signedOut} (see the class comment).
     */
    static TeacherSessions shared(AdminToken admin, LongSupplier nowSeconds, SharedDocument signedOut) {
        TeacherSessions sessions = new TeacherSessions(admin, nowSeconds, signedOut);
        signedOut.subscribe(sessions::heard);
        return sessions;
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
            try {
                signedOut.publish(signedOutJson());
            } catch (RuntimeException e) { // the request's 503: nothing changed, so signing out again works
                revoked.remove(id);
                throw e;
            }
        } else {
            live.remove(id);
        }
    }

    /** Ids signed out on another instance (or this one's own, heard again); ours it lacks are published again. */
    private synchronized void heard(SharedDocument.Version version) {
        Map<String, Long> there;
        try {
            there = JSON.readValue(version.body(), new TypeReference<Map<String, Long>>() { });
        } catch (JsonProcessingException e) {
            LOG.warn("the shared signed-out sessions are not a list of them ({})", e.getOriginalMessage());
            return;
        }
        long now = nowSeconds.getAsLong();
        there.forEach((id, expires) -> {
            if (!revoked.containsKey(id)) {
                remember(revoked, id, expires, now);
            }
        });
        if (!there.keySet().containsAll(sharedRevoked().keySet())) { // two instances signed out at once
            signedOut.publish(signedOutJson());
        }
    }

    /** The signed-out ids that the shared document holds: the {@value #MAX_SHARED_REVOKED} that expire last. */
    private Map<String, Long> sharedRevoked() {
        long now = nowSeconds.getAsLong();
        Map<String, Long> newest = new TreeMap<>();
        revoked.entrySet().stream().filter(e -> e.getValue() > now)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_SHARED_REVOKED) // the same choice on every instance
                .forEach(e -> newest.put(e.getKey(), e.getValue()));
        return newest;
    }

    private String signedOutJson() {
        try {
            return JSON.writeValueAsString(sharedRevoked());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ids and numbers always serialise", e);
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
