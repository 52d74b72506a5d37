package diffusionlab.web.security;

import diffusionlab.web.errors.HttpProblem;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-site request forgery defence for every state-changing request (anything but GET, HEAD, OPTIONS):
 * <ol>
 *   <li>it must carry the header {@code X-Requested-With} (any value; the pages' {@code api.js} sends
 *       {@code fetch}). An HTML form cannot set a header, and a cross-site script can only do so after a CORS
 *       preflight, which this server never approves (it sends no CORS headers);</li>
 *   <li>if the browser says where it comes from ({@code Origin}), that must be this site
 *       ({@link OriginCheck}); a {@code Sec-Fetch-Site} of cross-site or same-site is refused too;</li>
 *   <li>a body must be JSON ({@code application/json}): the {@code text/plain} form trick that smuggles a JSON
 *       body past a form is refused with 415.</li>
 * </ol>
 * No token to store or embed: the pages stay cacheable and the API stays scriptable with one extra header.
 */
public final class CsrfGuard {
    public static final String HEADER = "X-Requested-With";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final OriginCheck origins;

    public CsrfGuard(OriginCheck origins) {
        this.origins = origins;
    }

    public void check(Context ctx) {
        if (SAFE.contains(ctx.method().name())) {
            return;
        }
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
            throw HttpProblem.forbidden("a request from another site is refused (Sec-Fetch-Site: " + site.strip() + ")");
        }
        origins.require(ctx, "a request");
        String marker = ctx.header(HEADER);
        if (marker == null || marker.isBlank()) {
            throw HttpProblem.forbidden("state-changing requests need the header " + HEADER
                    + " (any value, e.g. '" + HEADER + ": fetch'); it protects your runs from other sites' forms");
        }
        if (hasBody(ctx) && !isJson(ctx.header("Content-Type"))) {
            throw new HttpProblem(415, "send the body as JSON, with Content-Type: application/json", null);
        }
    }

    private static boolean hasBody(Context ctx) {
        return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
