package diffusionlab.web.security;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per client: {@code burst} tokens at most, refilled continuously at {@code perMinute}; an
 * action costing n tokens is allowed when n are there. Memory is bounded: past {@link #MAX_CLIENTS} tracked
 * clients, the buckets that have refilled completely (indistinguishable from new ones) are forgotten, and if
 * that is not enough the least recently seen are.
 */
public final class RateLimiter {
    static final int MAX_CLIENTS = 10_000;

    private final double capacity;
    private final double tokensPerNano;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true); // access order

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    /** The answer: allowed, or how long until it would be. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
    }

    public RateLimiter(int perMinute, int burst) {
        this(perMinute, burst, System::nanoTime);
    }

    RateLimiter(int perMinute, int burst, LongSupplier nanoTime) {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("perMinute and burst must be positive");
        }
        this.capacity = burst;
        this.tokensPerNano = perMinute / 60e9;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes {@code cost} tokens from the client's bucket if it holds them (a cost above the bucket's size
     * needs a full bucket and empties it); otherwise takes nothing.
     */
    public synchronized Decision tryAcquire(String client, int cost) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            makeRoom(now);
            bucket = new Bucket(capacity, now);
            buckets.put(client, bucket);
        }
        refill(bucket, now);
        Decision decision = decide(bucket, cost);
        if (decision.allowed()) {
            bucket.tokens -= Math.min(cost, capacity);
        }
        return decision;
    }

    /** What {@link #tryAcquire} would answer now, taking nothing. */
    public synchronized Decision peek(String client, int cost) {
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            return new Decision(true, 0);
        }
        refill(bucket, nanoTime.getAsLong());
        return decide(bucket, cost);
    }

    private Decision decide(Bucket bucket, int cost) {
        double need = Math.min(cost, capacity); // an action larger than the bucket takes it all
        if (bucket.tokens >= need) {
            return new Decision(true, 0);
        }
        double missing = need - bucket.tokens;
        long seconds = (long) Math.ceil(missing / tokensPerNano / 1e9);
        return new Decision(false, Math.max(1, seconds));
    }

    /** How many clients are tracked (for tests of the bound). */
    synchronized int tracked() {
        return buckets.size();
    }

    private void refill(Bucket bucket, long now) {
        long elapsed = Math.max(0, now - bucket.updated);
        bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * tokensPerNano);
        bucket.updated = now;
    }

    private void makeRoom(long now) {
        if (buckets.size() < MAX_CLIENTS) {
            return;
        }
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            refill(b, now);
            if (b.tokens >= capacity) {
                it.remove();
            }
        }
        Iterator<Bucket> eldest = buckets.values().iterator();
        while (buckets.size() >= MAX_CLIENTS && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }
}
