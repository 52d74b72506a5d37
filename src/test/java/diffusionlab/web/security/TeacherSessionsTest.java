package diffusionlab.web.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.SharedDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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

    /** One document of several instances: a change is heard by every subscriber at once, the publisher's too. */
    private static final class Linked implements SharedDocument {
        private final List<Consumer<Version>> subscribers = new ArrayList<>();
        private long seq;
        private Version current;

        @Override
        public Version publish(String body) {
            current = new Version(++seq, body);
            List.copyOf(subscribers).forEach(s -> s.accept(current));
            return current;
        }

        @Override
        public void subscribe(Consumer<Version> subscriber) {
            subscribers.add(subscriber);
            if (current != null) {
                subscriber.accept(current);
            }
        }
    }

    @Test
    void sharedSessionsAreValidOnEveryInstanceWithTheSameKeyUntilSignedOutOnAnyOrTheyExpire() {
        Linked document = new Linked();
        TeacherSessions here = TeacherSessions.shared(KEY, now::get, document);
        TeacherSessions there = TeacherSessions.shared(new AdminToken("teacher-key-0123456789", new ClientAddress(false)),
                now::get, document);
        TeacherSessions otherKey = TeacherSessions.shared(new AdminToken("another-key-0123456789", new ClientAddress(false)),
                now::get, new Linked());
        String token = here.open();
        String kept = here.open();
        assertTrue(there.valid(token), "another instance (or this one after a restart) accepts it");
        assertFalse(otherKey.valid(token));
        assertFalse(sessions.valid(token), "an unshared instance knows only its own sessions");

        here.close(token);
        assertFalse(here.valid(token), "signed out where it was closed");
        assertFalse(there.valid(token), "and on the other instances");
        TeacherSessions later = TeacherSessions.shared(KEY, now::get, document);
        assertFalse(later.valid(token), "and on an instance started afterwards");
        assertTrue(there.valid(kept), "another session of the teacher goes on");
        now.addAndGet(TeacherSessions.LIFETIME.toSeconds());
        assertFalse(there.valid(kept));
    }

    @Test
    void aSignOutThatCannotBeSharedChangesNothingSoItCanBeTriedAgain() {
        Linked working = new Linked();
        boolean[] away = {true};
        SharedDocument flaky = new SharedDocument() {
            @Override
            public Version publish(String body) {
                if (away[0]) {
                    throw new IllegalStateException("the database is away");
                }
                return working.publish(body);
            }

            @Override
            public void subscribe(Consumer<Version> subscriber) {
                working.subscribe(subscriber);
            }
        };
        TeacherSessions here = TeacherSessions.shared(KEY, now::get, flaky);
        TeacherSessions there = TeacherSessions.shared(KEY, now::get, working);
        String token = here.open();

        assertThrows(IllegalStateException.class, () -> here.close(token));
        assertTrue(here.valid(token), "still signed in: the teacher is told to try again");
        away[0] = false;
        here.close(token);
        assertFalse(here.valid(token));
        assertFalse(there.valid(token), "and the retry reached the other instances");
    }

    @Test
    void twoInstancesSigningOutAtOnceEachEndUpWithBoth() {
        SharedDocument.Version[] sent = new SharedDocument.Version[2];
        Linked a = new Linked();
        Linked b = new Linked();
        TeacherSessions here = TeacherSessions.shared(KEY, now::get, a);
        TeacherSessions there = TeacherSessions.shared(KEY, now::get, b);
        String first = here.open();
        String second = here.open();
        here.close(first); // each instance's change is heard by the other only afterwards (a late notice)
        there.close(second);
        sent[0] = a.current;
        sent[1] = b.current;
        b.publish(sent[0].body()); // the store's newest is b's; a's notice reaches b late, b republishes both
        a.publish(b.current.body());

        assertFalse(there.valid(first));
        assertFalse(here.valid(second));
        assertTrue(b.current.body().contains(first.split("\\.")[1]) && b.current.body().contains(second.split("\\.")[1]),
                b.current.body());
    }
}
