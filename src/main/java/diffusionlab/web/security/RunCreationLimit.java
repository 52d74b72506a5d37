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
        RateLimiter.Decision decision = limiter.tryAcquire(address.of(ctx), runs);
        if (!decision.allowed()) {
            throw HttpProblem.tooManyRequests("you have started runs too quickly (at most " + perMinute
                    + " a minute); try again in " + decision.retryAfterSeconds() + " s", decision.retryAfterSeconds());
        }
    }
}
