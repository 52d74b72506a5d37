package diffusionlab.web.security;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import diffusionlab.web.WebSettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ADMIN_TOKEN: its bearer controls any run; a wrong one is a 401; without it only the owner can. */
class AdminTokenTest {
    private static final String TOKEN = "teacher-0123456789-abcdef";
    private static final String LONG = TINY.replace("\"steps\": 300", "\"steps\": 2000000");
    @RegisterExtension
    static final TestServer server = TestServer.start(TestServer.SETTINGS.withAdminToken(TOKEN));

    @AfterAll
    static void stopRuns() {
        server.registry.list().forEach(r -> r.stop());
    }

    private static HttpResponse<String> asAdmin(String method, String path, String token) {
        return server.send(server.stranger, method, path, null, "Authorization", "Bearer " + token);
    }

    @Test
    void theTeacherPausesResumesStopsAndDeletesAnyonesRun() {
        String id = server.createRun(LONG);
        server.awaitState(id, Duration.ofSeconds(30), "running");

        assertEquals(200, asAdmin("POST", "/api/runs/" + id + "/pause", TOKEN).statusCode());
        assertEquals(200, asAdmin("POST", "/api/runs/" + id + "/resume", TOKEN).statusCode());
        assertEquals(200, asAdmin("POST", "/api/runs/" + id + "/stop", TOKEN).statusCode());
        assertEquals(204, asAdmin("DELETE", "/api/runs/" + id, TOKEN).statusCode());
        assertEquals(404, server.get("/api/runs/" + id).statusCode());
    }

    @Test
    void theApiTellsTheTeacherTheyMayControlTheRun() {
        String id = server.createRun(TINY);

        assertTrue(server.json(asAdmin("GET", "/api/runs/" + id, TOKEN)).get("owner").asBoolean());
        assertFalse(server.json(server.get("/api/runs/" + id)).get("owner").asBoolean());
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong-token-wrong-token", "teacher-0123456789-abcde", "teacher-0123456789-abcdeff", "", "x"})
    void aWrongTokenIsA401AndChangesNothing(String token) {
        String id = server.createRun(LONG);
        server.awaitState(id, Duration.ofSeconds(30), "running");

        HttpResponse<String> response = asAdmin("POST", "/api/runs/" + id + "/stop", token);

        assertEquals(401, response.statusCode(), response.body());
        assertTrue(server.json(response).has("error"));
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals("running", server.json(server.get("/api/runs/" + id)).get("status").get("state").asText());
        server.post(server.owner, "/api/runs/" + id + "/stop", null);
    }

    @Test
    void withoutAnyTokenAStrangerIsStillA403() {
        String id = server.createRun(TINY);

        assertEquals(403, server.send(server.stranger, "DELETE", "/api/runs/" + id, null).statusCode());
        assertEquals(403, server.send(server.stranger, "DELETE", "/api/runs/" + id, null,
                "Authorization", "Basic dXNlcjpwYXNz").statusCode(), "another scheme is not an admin token");
    }

    @Test
    void aServerWithoutAnAdminTokenAcceptsNoBearer() {
        try (TestServer plain = TestServer.start()) {
            String id = plain.createRun(TINY);

            HttpResponse<String> response = plain.send(plain.stranger, "DELETE", "/api/runs/" + id, null,
                    "Authorization", "Bearer " + TOKEN);

            assertEquals(401, response.statusCode());
            assertEquals(200, plain.get("/api/runs/" + id).statusCode());
        }
    }

    @Test
    void aShortTokenIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> WebSettings.defaults().withAdminToken("secret"));
        assertThrows(IllegalArgumentException.class, () -> WebSettings.fromEnvironment(java.util.Map.of("ADMIN_TOKEN", "short")));
        assertEquals(null, WebSettings.fromEnvironment(java.util.Map.of("ADMIN_TOKEN", " ")).adminToken());
        assertFalse(WebSettings.fromEnvironment(java.util.Map.of("ADMIN_TOKEN", TOKEN)).toString().contains(TOKEN),
                "the token is never printed");
    }
}
