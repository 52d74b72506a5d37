package diffusionlab.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.web.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ScheduleApiTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    @Test
    void theNotebooksScheduleDoesNotReachNoise() {
        JsonNode s = server.json(server.get("/api/schedule?schedule=sigmoid&timesteps=100&betaStart=1e-5&betaEnd=1e-2"));

        assertEquals(0.605, s.get("alphaBarT").asDouble(), 0.001);
        assertFalse(s.get("reachesNoise").asBoolean());
        assertEquals(100, s.get("alphaBar").size());
        assertEquals(s.get("alphaBarT").asDouble(), s.get("alphaBar").get(99).asDouble(), 1e-12);
        assertTrue(s.get("message").asText().contains("not pure noise"));
    }

    @Test
    void theAppsDefaultAndTheCosineScheduleReachNoise() {
        JsonNode app = server.json(server.get("/api/schedule"));
        JsonNode cosine = server.json(server.get("/api/schedule?schedule=cosine&timesteps=1000"));

        assertTrue(app.get("reachesNoise").asBoolean());
        assertTrue(app.get("alphaBarT").asDouble() < 0.01);
        assertTrue(cosine.get("reachesNoise").asBoolean());
        assertEquals(200, cosine.get("alphaBar").size(), "long schedules are thinned to 200 points");
    }

    @Test
    void aBadScheduleFieldIsA400NamingIt() {
        HttpResponse<String> timesteps = server.get("/api/schedule?timesteps=1");
        HttpResponse<String> kind = server.get("/api/schedule?schedule=exponential");
        HttpResponse<String> unknown = server.get("/api/schedule?steps=3");

        assertEquals(400, timesteps.statusCode());
        assertEquals("timesteps", server.json(timesteps).get("field").asText());
        assertEquals("schedule", server.json(kind).get("field").asText());
        assertEquals("steps", server.json(unknown).get("field").asText());
    }
}
