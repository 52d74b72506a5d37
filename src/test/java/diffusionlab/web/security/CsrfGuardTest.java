package diffusionlab.web.security;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The CSRF scheme: a custom header on every state-changing request, a same-site Origin, and JSON bodies. */
class CsrfGuardTest {
    private static final String LONG = TINY.replace("\"steps\": 300", "\"steps\": 2000000");
    @RegisterExtension
    static final TestServer server = TestServer.start();

    @AfterAll
    static void stopRuns() {
        server.registry.list().forEach(r -> r.stop());
    }

    private String origin() {
        return "http://localhost:" + server.web.port();
    }

    @Test
    void startingARunWithoutTheHeaderIsA403AndStartsNothing() {
        int before = server.registry.list().size();

        HttpResponse<String> response = server.send(server.owner, "POST", "/api/runs", TINY, CsrfGuard.HEADER, null);

        assertEquals(403, response.statusCode());
        assertTrue(server.json(response).get("error").asText().contains(CsrfGuard.HEADER), response.body());
        assertEquals(before, server.registry.list().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pause", "stop"})
    void theOwnersControlsWithoutTheHeaderAreRefusedEvenWithTheOwnerCookie(String action) {
        String id = server.createRun(LONG);
        server.awaitState(id, Duration.ofSeconds(30), "running");

        HttpResponse<String> response = server.send(server.owner, "POST", "/api/runs/" + id + "/" + action, null,
                CsrfGuard.HEADER, null);

        assertEquals(403, response.statusCode());
        assertEquals("running", server.json(server.get("/api/runs/" + id)).get("status").get("state").asText());
        server.post(server.owner, "/api/runs/" + id + "/stop", null);
    }

    @Test
    void deletingWithoutTheHeaderIsRefused() {
        String id = server.createRun(TINY);

        HttpResponse<String> refused = server.send(server.owner, "DELETE", "/api/runs/" + id, null, CsrfGuard.HEADER, null);

        assertEquals(403, refused.statusCode());
        assertEquals(200, server.get("/api/runs/" + id).statusCode(), "the run is still there");
        assertEquals(204, server.send(server.owner, "DELETE", "/api/runs/" + id, null).statusCode());
    }

    /** What a cross-site HTML form can send: no custom header, a form content type, the attacker's Origin. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/x-www-form-urlencoded | dataset=moons",
            "multipart/form-data; boundary=x   | --x--",
            "text/plain                        | {\"dataset\": \"moons\", \"x\": \"=\"}"})
    void aCrossSiteFormPostIsRefused(String contentType, String body) {
        HttpResponse<String> response = server.send(server.owner, "POST", "/api/runs", body,
                "Content-Type", contentType, CsrfGuard.HEADER, null, "Origin", "https://evil.example");

        assertEquals(403, response.statusCode(), response.body());
        assertTrue(server.json(response).has("error"));
    }

    @Test
    void aScriptOnAnotherSiteIsRefusedEvenIfItSetsTheHeader() {
        HttpResponse<String> otherOrigin = server.send(server.owner, "POST", "/api/runs", TINY,
                "Origin", "http://evil.example:" + server.web.port());
        HttpResponse<String> otherPort = server.send(server.owner, "POST", "/api/runs", TINY,
                "Origin", "http://localhost:1");
        HttpResponse<String> nullOrigin = server.send(server.owner, "POST", "/api/runs", TINY, "Origin", "null");
        HttpResponse<String> crossSite = server.send(server.owner, "POST", "/api/runs", TINY, "Sec-Fetch-Site", "cross-site");

        assertEquals(403, otherOrigin.statusCode());
        assertEquals(403, otherPort.statusCode());
        assertEquals(403, nullOrigin.statusCode());
        assertEquals(403, crossSite.statusCode());
    }

    @Test
    void theSitesOwnPagesAndNonBrowserClientsGetThrough() {
        HttpResponse<String> page = server.send(server.owner, "POST", "/api/runs", TINY,
                "Origin", origin(), "Sec-Fetch-Site", "same-origin");
        HttpResponse<String> script = server.send(server.owner, "POST", "/api/runs", TINY); // no Origin: curl

        assertEquals(201, page.statusCode(), page.body());
        assertEquals(201, script.statusCode(), script.body());
    }

    @Test
    void aJsonBodyWithAnotherContentTypeIsA415() {
        HttpResponse<String> plain = server.send(server.owner, "POST", "/api/runs", TINY, "Content-Type", "text/plain");
        HttpResponse<String> none = server.send(server.owner, "POST", "/api/runs", TINY, "Content-Type", null);

        assertEquals(415, plain.statusCode());
        assertEquals(415, none.statusCode());
        assertTrue(server.json(plain).get("error").asText().contains("application/json"));
    }

    @Test
    void readingNeedsNoHeader() {
        assertEquals(200, server.get("/api/runs").statusCode());
        assertEquals(200, server.get("/").statusCode());
    }
}
