package diffusionlab.web.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.engine.InvalidConfigException;
import diffusionlab.training.store.StoreException;
import diffusionlab.web.pages.ErrorPage;
import diffusionlab.web.pages.PageRenderer;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.router.JavalinDefaultRouting;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure becomes a clear answer: {@code {"error", "field"}} JSON under {@code /api/}, an error page
 * elsewhere. Client mistakes keep their 4xx status; only a bug of ours is a 500, and it is logged. What Jetty
 * refuses before a request reaches the app gets the same JSON ({@link #jettyHandler}).
 */
public final class ErrorHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlers.class);

    private final PageRenderer pages;
    private final ObjectMapper mapper;

    /** What a web instance answers while the database its runs live in is out of reach. */
    public static final String UNAVAILABLE = "the database that holds the runs is out of reach for the moment; "
            + "nothing was changed, try again in a few seconds";
    public static final long UNAVAILABLE_RETRY_SECONDS = 5;

    public ErrorHandlers(PageRenderer pages, ObjectMapper mapper) {
        this.pages = pages;
        this.mapper = mapper;
    }

    /**
     * The handler for Jetty's own refusals (a malformed request line, a header too large), which never pass
     * the app's filters: it sends the {@code Content-Security-Policy} itself.
     */
    public ErrorHandler jettyHandler(String contentSecurityPolicy) {
        return new JettyErrors(mapper, contentSecurityPolicy);
    }

    public void register(JavalinDefaultRouting router) {
        router.exception(HttpProblem.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
            }
            respond(ctx, e.status(), e.getMessage(), e.field());
        });
        router.exception(InvalidConfigException.class, (e, ctx) -> respond(ctx, 400, e.getMessage(), e.field()));
        router.exception(MethodNotAllowedResponse.class, (e, ctx) -> {
            String allowed = allowedMethods(e);
            ctx.header("Allow", allowed);
            respond(ctx, 405, ctx.method() + " is not allowed here; this path takes " + allowed, null);
        });
        router.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, e.getStatus(), message(e, ctx), null));
        router.exception(StoreException.class, (e, ctx) -> { // the shared database is out of reach (web role)
            LOG.warn("{} {}: the database is out of reach ({})", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("Retry-After", String.valueOf(UNAVAILABLE_RETRY_SECONDS));
            respond(ctx, 503, UNAVAILABLE, null);
        });
        router.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            respond(ctx, 500, "something went wrong on the server; the error is in its log", null);
        });
    }

    private void respond(Context ctx, int status, String message, String field) {
        ctx.status(status);
        if (wantsJson(ctx)) {
            ctx.json(new ApiError(message, field));
        } else {
            pages.render(ctx, "error.jte", new ErrorPage(status, title(status), message));
        }
    }

    private static boolean wantsJson(Context ctx) {
        return ctx.path().equals("/api") || ctx.path().startsWith("/api/");
    }

    /**
     * The methods the path takes, from the routes table as Javalin found them (its one detail, "GET, POST"),
     * plus HEAD wherever GET is, which Javalin answers with the GET handler.
     */
    private static String allowedMethods(MethodNotAllowedResponse e) {
        String detail = e.getDetails().values().stream().findFirst().orElse("");
        List<String> methods = new ArrayList<>(List.of(detail.split(", ")));
        if (methods.contains("GET")) {
            methods.add(methods.indexOf("GET") + 1, "HEAD");
        }
        return String.join(", ", methods);
    }

    private static String message(HttpResponseException e, Context ctx) {
        return switch (e.getStatus()) {
            case 404 -> "there is nothing at " + abbreviate(ctx.path());
            case 413 -> "the body is too large";
            default -> e.getMessage();
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "That request does not work";
            case 401 -> "Wrong key";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Not now";
            case 413 -> "Too large";
            case 415 -> "Send JSON";
            case 429 -> "Too many at once";
            case 503 -> "Back in a moment";
            default -> status >= 500 ? "Something went wrong" : "Request refused";
        };
    }
}
