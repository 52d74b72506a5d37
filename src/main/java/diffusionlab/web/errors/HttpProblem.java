package diffusionlab.web.errors;

/**
 * A request the server refuses, with its HTTP status and, when one field is to blame, its name.
 * {@link ErrorHandlers} turns it into {@code {"error", "field"}} JSON for the API and an error page otherwise.
 */
public final class HttpProblem extends RuntimeException {
    private final int status;
    private final String field;
    private final long retryAfterSeconds;

    public HttpProblem(int status, String message, String field) {
        this(status, message, field, 0);
    }

    private HttpProblem(int status, String message, String field, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static HttpProblem badRequest(String message, String field) {
        return new HttpProblem(400, message, field);
    }

    public static HttpProblem forbidden(String message) {
        return new HttpProblem(403, message, null);
    }

    public static HttpProblem notFound(String message) {
        return new HttpProblem(404, message, null);
    }

    public static HttpProblem conflict(String message) {
        return new HttpProblem(409, message, null);
    }

    public static HttpProblem tooLarge(String message) {
        return new HttpProblem(413, message, null);
    }

    /** 429, always with a {@code Retry-After} header: that many seconds, at least 1. */
    public static HttpProblem tooManyRequests(String message, long retryAfterSeconds) {
        return new HttpProblem(429, message, null, Math.max(1, retryAfterSeconds));
    }

    public static HttpProblem unauthorized(String message) {
        return new HttpProblem(401, message, null);
    }

    public static HttpProblem unauthorized(String message, String field) {
        return new HttpProblem(401, message, field);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    /** Seconds for a {@code Retry-After} header, or 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
