package diffusionlab.web.security;

import io.javalin.http.Context;

/**
 * The headers every response carries (pages, API, static files, errors). The pages have no inline script
 * or style at all (every script is a module under /static, data travels in data- attributes), so the
 * Content-Security-Policy allows only this origin's own files: no 'unsafe-inline', no nonces needed.
 * {@code connect-src 'self'} covers the live socket (CSP 3: 'self' matches ws:/wss: on the same host).
 * The lesson's formulas need nothing more: KaTeX is a script, a stylesheet and fonts from the app's own webjar,
 * and {@code katex.render} builds DOM nodes whose styles it sets through the CSSOM, which {@code style-src} does not
 * govern (only style attributes in markup and style elements, neither of which KaTeX's DOM output uses).
 */
public final class SecurityHeaders {
    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    private final ClientAddress address;

    public SecurityHeaders(ClientAddress address) {
        this.address = address;
    }

    public void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
        if (address.isHttps(ctx)) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
        if (ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }
}
