package diffusionlab.web.api;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunControlsTest {
    private static final String LONG = TINY.replace("\"steps\": 300", "\"steps\": 2000000");
    @RegisterExtension
    static final TestServer server = TestServer.start();

    @Test
    void theOwnerPausesResumesAndStopsARun() {
        String id = server.createRun(LONG);
        server.awaitState(id, Duration.ofSeconds(30), "running");
        awaitFirstStep(id); // training has begun (a run paused before its first step stays at step 0)

        HttpResponse<String> paused = server.post(server.owner, "/api/runs/" + id + "/pause", null);
        assertEquals(200, paused.statusCode(), paused.body());
        assertEquals("paused", server.json(paused).get("state").asText());
        assertTrue(stepSettles(id), "a paused run stops training (at its next progress report)");
        assertEquals("paused", server.json(server.get("/api/runs/" + id)).get("status").get("state").asText());

        HttpResponse<String> resumed = server.post(server.owner, "/api/runs/" + id + "/resume", null);
        assertEquals(200, resumed.statusCode());
        assertEquals("running", server.json(resumed).get("state").asText());

        HttpResponse<String> stopped = server.post(server.owner, "/api/runs/" + id + "/stop", null);
        assertEquals(200, stopped.statusCode());
        server.awaitState(id, Duration.ofSeconds(30), "stopped");
    }

    /** Waits until the run has taken a step. */
    private static void awaitFirstStep(String id) {
        for (int i = 0; i < 100 && server.json(server.get("/api/runs/" + id)).get("status").get("step").asLong() == 0; i++) {
            TestServer.sleep(100);
        }
    }

    /** Whether the run's step stops changing within a few seconds. */
    private static boolean stepSettles(String id) {
        long previous = -1;
        for (int i = 0; i < 20; i++) {
            long step = server.json(server.get("/api/runs/" + id)).get("status").get("step").asLong();
            if (step == previous && step > 0) {
                return true;
            }
            previous = step;
            TestServer.sleep(400);
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pause", "resume", "stop"})
    void aViewerWhoDidNotStartTheRunGetsA403(String action) {
        String id = server.createRun(LONG);
        server.awaitState(id, Duration.ofSeconds(30), "running");

        HttpResponse<String> response = server.post(server.stranger, "/api/runs/" + id + "/" + action, null);

        assertEquals(403, response.statusCode());
        assertEquals("running", server.json(server.get("/api/runs/" + id)).get("status").get("state").asText());
        server.post(server.owner, "/api/runs/" + id + "/stop", null);
    }

    @Test
    void pausingARunThatHasEndedIsA409() {
        String id = server.createRun(TINY);
        server.awaitState(id, Duration.ofSeconds(30), "done");

        HttpResponse<String> pause = server.post(server.owner, "/api/runs/" + id + "/pause", null);
        HttpResponse<String> resume = server.post(server.owner, "/api/runs/" + id + "/resume", null);
        HttpResponse<String> stop = server.post(server.owner, "/api/runs/" + id + "/stop", null);

        assertEquals(409, pause.statusCode());
        assertEquals(409, resume.statusCode());
        assertEquals(409, stop.statusCode());
        assertEquals(true, server.json(stop).get("error").asText().contains("done"));
    }
}
