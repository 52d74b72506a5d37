package diffusionlab.web;

import diffusionlab.training.CostLimits;
import diffusionlab.web.security.AdminToken;
import diffusionlab.web.security.FairShares;
import java.util.Map;

/**
 * The web layer's knobs, read once at start ({@link #fromEnvironment}); tests build their own.
 *
 * @param adminToken          the teacher's token ({@code ADMIN_TOKEN}): its bearer may control any run; null = none
 * @param runsPerMinute       how many runs one client may start per minute (token bucket, refilled continuously)
 * @param runBurst            how many it may start at once (the bucket's size)
 * @param trustForwardedFor   behind a PaaS router ({@code TRUST_PROXY=1}): the client is the last address of
 *                            {@code X-Forwarded-For} and the host the first of {@code X-Forwarded-Host};
 *                            otherwise both headers are ignored (anyone could send them)
 * @param maxViewers          live sockets over all runs; more are refused with 429
 * @param shares              what one client may hold at once ({@code ACTIVE_RUNS_PER_CLIENT},
 *                            {@code VIEWERS_PER_CLIENT}, {@code SAMPLES_PER_CLIENT}); more are refused with 429
 * @param costs               what one run or sample may cost ({@code RUN_MEMORY_MB}, {@code SAMPLE_SECONDS});
 *                            more is refused with 400
 */
public record WebSettings(String adminToken, int runsPerMinute, int runBurst, boolean trustForwardedFor,
                          int maxViewers, FairShares shares, CostLimits costs) {
    public static final int DEFAULT_RUNS_PER_MINUTE = 10;
    public static final int DEFAULT_MAX_VIEWERS = 1000;

    public WebSettings {
        if (adminToken != null && adminToken.isBlank()) {
            adminToken = null;
        }
        if (adminToken != null && adminToken.strip().length() < AdminToken.MIN_LENGTH) {
            throw new IllegalArgumentException("ADMIN_TOKEN must be at least " + AdminToken.MIN_LENGTH
                    + " characters (it is the only thing between the internet and every run)");
        }
        if (runsPerMinute < 1 || runBurst < 1 || maxViewers < 1) {
            throw new IllegalArgumentException("runsPerMinute, runBurst and maxViewers must be positive");
        }
        java.util.Objects.requireNonNull(shares, "shares");
        java.util.Objects.requireNonNull(costs, "costs");
    }

    /**
     * Production defaults: no admin, 10 runs a minute per client (a burst of 10), no proxy headers trusted, the
     * default {@link FairShares}, and cost limits for this JVM's heap.
     */
    public static WebSettings defaults() {
        return new WebSettings(null, DEFAULT_RUNS_PER_MINUTE, DEFAULT_RUNS_PER_MINUTE, false, DEFAULT_MAX_VIEWERS,
                FairShares.DEFAULTS, CostLimits.forHeap(Runtime.getRuntime().maxMemory()));
    }

    /**
     * {@code ADMIN_TOKEN}, {@code RUNS_PER_MINUTE}, {@code TRUST_PROXY}, the per-client shares and the cost limits
     * from the environment, else the defaults.
     */
    public static WebSettings fromEnvironment(Map<String, String> env) {
        WebSettings d = defaults();
        int rate = wholeNumber(env, "RUNS_PER_MINUTE", d.runsPerMinute, 10_000);
        String proxy = env.getOrDefault("TRUST_PROXY", "").strip().toLowerCase(java.util.Locale.ROOT);
        boolean trust = proxy.equals("1") || proxy.equals("true") || proxy.equals("yes");
        FairShares shares = new FairShares(wholeNumber(env, "ACTIVE_RUNS_PER_CLIENT", d.shares.activeRuns(), 10_000),
                wholeNumber(env, "VIEWERS_PER_CLIENT", d.shares.viewers(), 100_000),
                wholeNumber(env, "SAMPLES_PER_CLIENT", d.shares.sampleJobs(), 10_000));
        CostLimits costs = new CostLimits(
                (long) wholeNumber(env, "RUN_MEMORY_MB", (int) (d.costs.runBytes() >> 20), 1_000_000) << 20,
                wholeNumber(env, "SAMPLE_SECONDS", (int) d.costs.workSeconds(), 86_400));
        return new WebSettings(env.get("ADMIN_TOKEN"), rate, rate, trust, DEFAULT_MAX_VIEWERS, shares, costs);
    }

    private static int wholeNumber(Map<String, String> env, String name, int fallback, int max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(name + " must be a whole number between 1 and " + max);
    }

    public WebSettings withAdminToken(String token) {
        return new WebSettings(token, runsPerMinute, runBurst, trustForwardedFor, maxViewers, shares, costs);
    }

    public WebSettings withRunRate(int perMinute, int burst) {
        return new WebSettings(adminToken, perMinute, burst, trustForwardedFor, maxViewers, shares, costs);
    }

    public WebSettings withTrustForwardedFor(boolean trust) {
        return new WebSettings(adminToken, runsPerMinute, runBurst, trust, maxViewers, shares, costs);
    }

    public WebSettings withMaxViewers(int max) {
        return new WebSettings(adminToken, runsPerMinute, runBurst, trustForwardedFor, max, shares, costs);
    }

    public WebSettings withShares(FairShares s) {
        return new WebSettings(adminToken, runsPerMinute, runBurst, trustForwardedFor, maxViewers, s, costs);
    }

    @Override
    public String toString() { // never print the token
        return "WebSettings[admin=" + (adminToken != null) + ", runsPerMinute=" + runsPerMinute + ", runBurst="
                + runBurst + ", trustForwardedFor=" + trustForwardedFor + ", maxViewers=" + maxViewers + ", "
                + shares + ", " + costs + "]";
    }
}
