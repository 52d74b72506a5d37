package diffusionlab.web.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * The answers Jetty gives itself, before a request reaches the app (a malformed request line, an invalid
 * percent-escape in the path, a header too large): the same {@code {"error", "field"}} JSON as every other
 * refusal, instead of Jetty's HTML page, and with nothing of the server's internals in it.
 */
final class JettyErrors extends ErrorHandler {
    private final ObjectMapper mapper;
    private final String contentSecurityPolicy;

    JettyErrors(ObjectMapper mapper, String contentSecurityPolicy) {
        this.mapper = mapper;
        this.contentSecurityPolicy = contentSecurityPolicy;
        setShowStacks(false);
        setShowServlet(false);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8"));
        fields.put("X-Content-Type-Options", "nosniff");
        fields.put("Content-Security-Policy", contentSecurityPolicy);
        return ByteBuffer.wrap(body(status, reason));
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy", contentSecurityPolicy);
        byte[] body = body(response.getStatus(), message == null ? null : message.toString());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private byte[] body(int status, String reason) {
        String what = status == 400 ? "the request is malformed" : "the request was refused";
        String message = reason == null || reason.isBlank() ? what : what + ": " + abbreviate(reason);
        try {
            return mapper.writeValueAsBytes(new ApiError(message, null));
        } catch (JsonProcessingException e) {
            return "{\"error\": \"the request is malformed\", \"field\": null}".getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
