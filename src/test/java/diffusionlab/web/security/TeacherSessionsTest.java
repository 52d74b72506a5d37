package diffusionlab.web.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The teacher's sessions: random, signed, expiring and revocable. */
class TeacherSessionsTest {
    private static final AdminToken KEY = new AdminToken("teacher-key-0123456789", new ClientAddress(false));

    private final AtomicLong now = new AtomicLong(1_700_000_000);
    private final TeacherSessions sessions = new TeacherSessions(KEY, now::get);

    @Test
    void everySessionHasItsOwnTokenCarryingItsIssueAndExpiryTimes() {
        String a = sessions.open();
        String b = sessions.open();
        assertNotEquals(a, b);
        assertTrue(a.contains("." + now.get() + "." + (now.get() + TeacherSessions.LIFETIME.toSeconds()) + "."), a);
        assertTrue(sessions.valid(a));
        assertTrue(sessions.valid(b));
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = sessions.open();
        now.addAndGet(TeacherSessions.LIFETIME.toSeconds() - 1);
        assertTrue(sessions.valid(token));
        now.incrementAndGet();
        assertFalse(sessions.valid(token));
    }

    @Test
    void aClosedSessionIsRefusedAndTheOthersGoOn() {
        String closed = sessions.open();
        String other = sessions.open();
        sessions.close(closed);
        assertFalse(sessions.valid(closed));
        assertTrue(sessions.valid(other));
    }

    @Test
    void aTamperedOrForeignTokenIsRefused() {
        String token = sessions.open();
        String[] parts = token.split("\\.");
        String longer = String.join(".", parts[0], parts[1], parts[2], Long.toString(Long.parseLong(parts[3]) + 1), parts[4]);
        assertFalse(sessions.valid(longer), "a changed expiry breaks the signature");
        char last = token.charAt(token.length() - 1);
        assertFalse(sessions.valid(token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A')),
                "a changed signature"); // (it once ended in "A" already, and the test "changed" nothing)
        assertFalse(sessions.valid(null));
        assertFalse(sessions.valid("v2.x.1.2"));
        assertFalse(sessions.valid(token + "x".repeat(300)));

        AdminToken anotherKey = new AdminToken("another-key-0123456789", new ClientAddress(false));
        assertFalse(new TeacherSessions(anotherKey, now::get).valid(token), "a new ADMIN_TOKEN voids every session");
        TeacherSessions restarted = new TeacherSessions(KEY, now::get);
        assertFalse(restarted.valid(token), "sessions live in memory");
    }

    @Test
    void pastTheLimitTheOldestSessionIsDropped() {
        String oldest = sessions.open();
        for (int i = 1; i < TeacherSessions.MAX_LIVE; i++) {
            sessions.open();
        }
        assertTrue(sessions.valid(oldest));
        String newest = sessions.open();
        assertFalse(sessions.valid(oldest));
        assertTrue(sessions.valid(newest));
    }

    @Test
    void sharedSessionsAreValidOnEveryInstanceWithTheSameKeyUntilTheyExpire() {
        TeacherSessions here = TeacherSessions.shared(KEY, now::get);
        TeacherSessions there = TeacherSessions.shared(new AdminToken("teacher-key-0123456789", new ClientAddress(false)),
                now::get);
        TeacherSessions otherKey = TeacherSessions.shared(new AdminToken("another-key-0123456789", new ClientAddress(false)),
                now::get);
        String token = here.open();
        assertTrue(there.valid(token), "another instance (or this one after a restart) accepts it");
        assertFalse(otherKey.valid(token));
        assertFalse(sessions.valid(token), "an unshared instance knows only its own sessions");

        here.close(token);
        assertFalse(here.valid(token), "signed out where it was closed");
        assertTrue(there.valid(token), "a copy stays valid elsewhere until it expires (README: revocation)");
        now.addAndGet(TeacherSessions.LIFETIME.toSeconds());
        assertFalse(there.valid(token));
    }
}
