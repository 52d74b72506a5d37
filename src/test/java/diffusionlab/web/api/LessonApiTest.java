package diffusionlab.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.training.PictureDrawer;
import diffusionlab.web.TestServer;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a lesson section shows before any run of its preset: the preset's data and, for a diffusion model, q(x_t). */
class LessonApiTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    private static int points(JsonNode cloud) {
        return Base64.getDecoder().decode(cloud.get("q").asText()).length / 4;
    }

    @Test
    void aDiffusionSectionPreviewsItsPresetsDataAndForwardProcessAsASnapshotOfNoRun() {
        JsonNode s = server.json(server.get("/api/lesson/forward/preview"));

        assertEquals("snapshot", s.get("type").asText());
        assertTrue(s.get("status").isNull(), "no run: no status");
        assertEquals("default", s.get("config").get("preset").asText());
        assertEquals(0, s.get("loss").get("steps").size());
        assertEquals(PictureDrawer.PREVIEW_POINTS, points(s.get("data").get("cloud")));
        JsonNode forward = s.get("forward");
        assertEquals(10, forward.get("clouds").size());
        assertEquals(0, forward.get("ts").get(0).asInt());
        assertEquals(s.get("timesteps").asInt(), forward.get("ts").get(9).asInt());
        assertTrue(s.get("path").get("signal").size() > 0, "the forward path, for the motion player's q(x_t)");
        assertFalse(s.has("samples") && !s.get("samples").isNull(), "nothing a model draws");
        assertEquals(server.get("/api/lesson/forward/preview").body(), server.get("/api/lesson/forward/preview").body(),
                "the same preview every time");
    }

    @Test
    void aScoreSectionPreviewsItsDataOnly() {
        JsonNode s = server.json(server.get("/api/lesson/langevin/preview"));

        assertEquals("dsm", s.get("config").get("preset").asText());
        assertEquals(PictureDrawer.PREVIEW_POINTS, points(s.get("data").get("cloud")));
        assertTrue(!s.has("forward") || s.get("forward").isNull(), "a score model has no forward process");
        assertTrue(s.get("path").isNull());
    }

    @Test
    void aSectionThatDoesNotExistIsA404NamingTheSections() {
        HttpResponse<String> r = server.get("/api/lesson/nosuchsection/preview");

        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("data, score, langevin"), r.body());
    }
}
