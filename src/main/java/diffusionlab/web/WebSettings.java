package diffusionlab.web;

import diffusionlab.web.security.AdminToken;
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
 */
public record WebSettings(String adminToken, int runsPerMinute, int runBurst, boolean trustForwardedFor,
                          int maxViewers) {
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
    }

    /** Production defaults: no admin, 10 runs a minute per client (a burst of 10), no proxy headers trusted. */
    public static WebSettings defaults() {
        return new WebSettings(null, DEFAULT_RUNS_PER_MINUTE, DEFAULT_RUNS_PER_MINUTE, false, DEFAULT_MAX_VIEWERS);
    }

    /** {@code ADMIN_TOKEN}, {@code RUNS_PER_MINUTE} and {@code TRUST_PROXY} from the environment, else the defaults. */
    public static WebSettings fromEnvironment(Map<String, String> env) {
        String perMinute = env.get("RUNS_PER_MINUTE");
        int rate = DEFAULT_RUNS_PER_MINUTE;
        if (perMinute != null && !perMinute.isBlank()) {
            try {
                rate = Integer.parseInt(perMinute.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("RUNS_PER_MINUTE must be a whole number between 1 and 10000");
            }
            if (rate < 1 || rate > 10_000) {
                throw new IllegalArgumentException("RUNS_PER_MINUTE must be a whole number between 1 and 10000");
            }
        }
        String proxy = env.getOrDefault("TRUST_PROXY", "").strip().toLowerCase(java.util.Locale.ROOT);
        boolean trust = proxy.equals("1") || proxy.equals("true") || proxy.equals("yes");
        return new WebSettings(env.get("ADMIN_TOKEN"), rate, rate, trust, DEFAULT_MAX_VIEWERS);
    }

    public WebSettings withAdminToken(String token) {
        return new WebSettings(token, runsPerMinute, runBurst, trustForwardedFor, maxViewers);
    }

    public WebSettings withRunRate(int perMinute, int burst) {
        return new WebSettings(adminToken, perMinute, burst, trustForwardedFor, maxViewers);
    }

    public WebSettings withTrustForwardedFor(boolean trust) {
        return new WebSettings(adminToken, runsPerMinute, runBurst, trust, maxViewers);
    }

    public WebSettings withMaxViewers(int max) {
        return new WebSettings(adminToken, runsPerMinute, runBurst, trustForwardedFor, max);
    }

    @Override
    public String toString() { // never print the token
        return "WebSettings[admin=" + (adminToken != null) + ", runsPerMinute=" + runsPerMinute + ", runBurst="
                + runBurst + ", trustForwardedFor=" + trustForwardedFor + ", maxViewers=" + maxViewers + "]";
    }
}
