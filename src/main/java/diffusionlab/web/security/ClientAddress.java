package diffusionlab.web.security;

import io.javalin.http.Context;

/**
 * Who is asking and which host they asked for. Directly on the internet these are the socket's remote
 * address and the {@code Host} header. Behind a PaaS router (trusted only when configured, since anyone can
 * send these headers) the client is the last address of {@code X-Forwarded-For} (the one the router itself
 * appended) and the host the first of {@code X-Forwarded-Host}, when present.
 */
public final class ClientAddress {
    private static final int MAX_KEY = 64;

    private final boolean trustForwarded;

    public ClientAddress(boolean trustForwarded) {
        this.trustForwarded = trustForwarded;
    }

    /** A short key identifying the client (an IP address as text), for per-client limits. */
    public String of(Context ctx) {
        if (trustForwarded) {
            String forwarded = ctx.header("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                String[] hops = forwarded.split(",");
                String last = hops[hops.length - 1].strip();
                if (!last.isEmpty()) {
                    return last.length() > MAX_KEY ? last.substring(0, MAX_KEY) : last;
                }
            }
        }
        String ip = ctx.req().getRemoteAddr();
        return ip == null ? "unknown" : ip;
    }

    /** The host[:port] the client addressed, or null when it sent none. */
    public String host(Context ctx) {
        if (trustForwarded) {
            String forwarded = ctx.header("X-Forwarded-Host");
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.split(",")[0].strip();
            }
        }
        return ctx.header("Host");
    }

    /** Whether the request arrived over HTTPS (directly, or at the trusted router). */
    public boolean isHttps(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme())
                || trustForwarded && "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }
}
