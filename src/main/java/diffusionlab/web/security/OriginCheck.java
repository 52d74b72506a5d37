package diffusionlab.web.security;

import diffusionlab.web.errors.HttpProblem;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Whether a request comes from one of this site's own pages. Browsers send {@code Origin} on every
 * WebSocket handshake and every cross-origin or non-GET fetch; it must then name the host the request was
 * sent to (scheme aside: behind an HTTPS router the server itself sees plain HTTP). No {@code Origin} at all
 * means a non-browser client (curl, a script, the test suite), which has no ambient cookies to abuse and is
 * let through; {@code Origin: null} (sandboxed frames, file: pages) is refused.
 */
public final class OriginCheck {
    private final ClientAddress address;

    public OriginCheck(ClientAddress address) {
        this.address = address;
    }

    /** True when there is no Origin, or it names the same host and port the request was addressed to. */
    public boolean allows(Context ctx) {
        String origin = ctx.header("Origin");
        return origin == null || sameHost(origin, address.host(ctx));
    }

    /** Throws 403 unless {@link #allows}. */
    public void require(Context ctx, String what) {
        if (!allows(ctx)) {
            throw HttpProblem.forbidden(what + " from another site is refused (Origin "
                    + abbreviate(ctx.header("Origin")) + ")");
        }
    }

    /** Whether an Origin header value names this host[:port] (ports default by the origin's scheme). */
    public static boolean sameHost(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        URI o;
        try {
            o = new URI(origin.strip());
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = o.getScheme();
        if (o.getHost() == null || scheme == null) {
            return false; // "null", garbage
        }
        int defaultPort = switch (scheme.toLowerCase(Locale.ROOT)) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
        if (defaultPort < 0) {
            return false;
        }
        int originPort = o.getPort() >= 0 ? o.getPort() : defaultPort;
        URI h;
        try {
            h = new URI("http://" + host.strip());
        } catch (URISyntaxException e) {
            return false;
        }
        if (h.getHost() == null) {
            return false;
        }
        int hostPort = h.getPort() >= 0 ? h.getPort() : defaultPort;
        return h.getHost().equalsIgnoreCase(o.getHost()) && hostPort == originPort;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
