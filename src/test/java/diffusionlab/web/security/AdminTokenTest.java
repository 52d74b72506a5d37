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
    void wrongBearerTokensCountWithTheSignInsAndPastTenAMinuteEvenTheRightOneIsA429() {
        try (TestServer fresh = TestServer.start(TestServer.SETTINGS.withAdminToken(TOKEN))) {
            String id = fresh.createRun(TINY);
            for (int i = 0; i < AdminToken.WRONG_KEYS_PER_MINUTE; i++) {
                assertEquals(401, fresh.send(fresh.stranger, "DELETE", "/api/runs/" + id, null,
                        "Authorization", "Bearer guess-" + i + "-0123456789").statusCode());
            }
            for (String token : new String[] {"guess-10-0123456789", TOKEN}) {
                HttpResponse<String> limited = fresh.send(fresh.stranger, "DELETE", "/api/runs/" + id, null,
                        "Authorization", "Bearer " + token);
                assertEquals(429, limited.statusCode(), limited.body());
                assertTrue(limited.headers().firstValue("Retry-After").isPresent());
            }
            assertEquals(429, fresh.send(fresh.stranger, "POST", "/api/teacher", "{\"token\": \"" + TOKEN + "\"}")
                    .statusCode(), "the sign-in form shares the count");
            assertEquals(200, fresh.get("/api/runs/" + id).statusCode(), "the run is still there");
        }
    }

    @Test
    void theRightBearerTokenIsNeverCounted() {
        try (TestServer fresh = TestServer.start(TestServer.SETTINGS.withAdminToken(TOKEN))) {
            String id = fresh.createRun(TINY);
            for (int i = 0; i <= AdminToken.WRONG_KEYS_PER_MINUTE; i++) {
                assertTrue(fresh.json(fresh.send(fresh.stranger, "GET", "/api/runs/" + id, null,
                        "Authorization", "Bearer " + TOKEN)).get("owner").asBoolean(), "request " + i);
            }
        }
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
