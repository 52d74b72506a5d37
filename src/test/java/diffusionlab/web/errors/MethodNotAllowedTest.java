package diffusionlab.web.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A path the app knows, asked with a method it does not take: 405 with the methods it does take. */
class MethodNotAllowedTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PUT    | /api/runs                    | GET, HEAD, POST",
            "PATCH  | /api/runs/somerun            | GET, HEAD, DELETE",
            "GET    | /api/runs/somerun/stop       | POST",
            "DELETE | /api/runs/somerun/loss.csv   | GET, HEAD",
            "GET    | /api/compare/loss-variants   | POST",
            "PUT    | /api/teacher                 | GET, HEAD, POST, DELETE"})
    void aWrongMethodUnderTheApiIsA405WithAllowAndAJsonError(String method, String path, String allowed) {
        HttpResponse<String> response = server.send(server.owner, method, path, null);

        assertEquals(405, response.statusCode(), response.body());
        assertEquals(allowed, response.headers().firstValue("Allow").orElse(null));
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        String error = server.json(response).get("error").asText();
        assertTrue(error.contains(method) && error.contains(allowed), error);
    }

    @Test
    void aWrongMethodOnAPageIsA405Too() {
        HttpResponse<String> response = server.send(server.owner, "DELETE", "/", null);

        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(null));
    }

    @Test
    void anUnknownPathIsStillA404() {
        assertEquals(404, server.send(server.owner, "PUT", "/api/nothing/here", null).statusCode());
        assertEquals(404, server.send(server.owner, "GET", "/nothing/here", null).statusCode());
    }
}
