package diffusionlab.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(10, 10, now::get); // 10 a minute: one every 6 s

    @Test
    void aClientMayBurstToTheBucketsSizeThenWaitsForTheRefill() {
        for (int i = 0; i < 10; i++) {
            assertTrue(limiter.tryAcquire("a", 1).allowed(), "run " + i);
        }
        RateLimiter.Decision refused = limiter.tryAcquire("a", 1);
        assertFalse(refused.allowed());
        assertEquals(6, refused.retryAfterSeconds());

        now.addAndGet(5_900_000_000L);
        assertFalse(limiter.tryAcquire("a", 1).allowed(), "not quite one token yet");
        now.addAndGet(200_000_000L);
        assertTrue(limiter.tryAcquire("a", 1).allowed(), "one token after 6 s");
        assertFalse(limiter.tryAcquire("a", 1).allowed());
    }

    @Test
    void peekingAnswersAsTryAcquireWouldAndTakesNothing() {
        assertTrue(limiter.peek("new", 1).allowed());
        assertEquals(0, limiter.tracked(), "a peek tracks no one");
        for (int i = 0; i < 10; i++) {
            assertTrue(limiter.peek("a", 1).allowed(), "peek " + i);
            limiter.tryAcquire("a", 1);
        }
        RateLimiter.Decision refused = limiter.peek("a", 1);
        assertFalse(refused.allowed());
        assertEquals(6, refused.retryAfterSeconds());
        now.addAndGet(6_000_000_000L);
        assertTrue(limiter.peek("a", 1).allowed());
        assertTrue(limiter.peek("a", 1).allowed(), "still there: peeking took nothing");
        assertTrue(limiter.tryAcquire("a", 1).allowed());
    }

    @Test
    void clientsHaveTheirOwnBuckets() {
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire("a", 1);
        }
        assertFalse(limiter.tryAcquire("a", 1).allowed());
        assertTrue(limiter.tryAcquire("b", 1).allowed());
    }

    @Test
    void aRefusedActionTakesNothingAndAnActionLargerThanTheBucketNeedsAFullOne() {
        limiter.tryAcquire("a", 8);
        RateLimiter.Decision five = limiter.tryAcquire("a", 5);
        assertFalse(five.allowed());
        assertEquals(18, five.retryAfterSeconds(), "3 tokens missing, 6 s each");
        assertTrue(limiter.tryAcquire("a", 2).allowed(), "the refused 5 took nothing");

        assertTrue(limiter.tryAcquire("c", 50).allowed(), "a full bucket allows one large action");
        assertFalse(limiter.tryAcquire("c", 1).allowed(), "which empties it");
    }

    @Test
    void theBucketNeverHoldsMoreThanItsSize() {
        now.addAndGet(3_600_000_000_000L);
        for (int i = 0; i < 10; i++) {
            assertTrue(limiter.tryAcquire("a", 1).allowed());
        }
        assertFalse(limiter.tryAcquire("a", 1).allowed());
    }

    @Test
    void memoryIsBoundedWhateverTheNumberOfClients() {
        for (int i = 0; i < 3 * RateLimiter.MAX_CLIENTS; i++) {
            limiter.tryAcquire("client-" + i, 1);
        }
        assertTrue(limiter.tracked() <= RateLimiter.MAX_CLIENTS, "tracked: " + limiter.tracked());
    }
}
