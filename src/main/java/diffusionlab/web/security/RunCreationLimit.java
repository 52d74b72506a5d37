package diffusionlab.web.security;

import diffusionlab.web.errors.HttpProblem;
import io.javalin.http.Context;

/**
 * How many runs one client may start: {@code runsPerMinute} on average, {@code runBurst} at once (a token
 * bucket per client address, {@link RateLimiter}). Past it: 429 with {@code Retry-After}. Only runs that are
 * about to start count, so fixing a typo in the form never costs anything.
 */
public final class RunCreationLimit {
    private final RateLimiter limiter;
    private final ClientAddress address;
    private final int perMinute;

    public RunCreationLimit(int runsPerMinute, int runBurst, ClientAddress address) {
        this.limiter = new RateLimiter(runsPerMinute, runBurst);
        this.address = address;
        this.perMinute = runsPerMinute;
    }

    /** Counts {@code runs} new runs against the client's allowance, or throws 429. */
    public void take(Context ctx, int runs) {
        refuseUnless(limiter.tryAcquire(address.of(ctx), runs));
    }

    /**
     * Throws the same 429 when the client could not start {@code runs} now, counting nothing: cheap, so a route
     * asks it before it reads and parses a body that would be refused anyway.
     */
    public void requireRoom(Context ctx, int runs) {
        refuseUnless(limiter.peek(address.of(ctx), runs));
    }

    private void refuseUnless(RateLimiter.Decision decision) {
        if (!decision.allowed()) {
            throw HttpProblem.tooManyRequests("you have started runs too quickly (at most " + perMinute
                    + " a minute); try again in " + decision.retryAfterSeconds() + " s", decision.retryAfterSeconds());
        }
    }
}
