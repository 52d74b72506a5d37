package diffusionlab.web.api;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.web.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RunDownloadsTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();
    private static String done;

    @BeforeAll
    static void createRuns() {
        done = server.createRun(TINY);
        server.awaitState(done, Duration.ofSeconds(30), "done");
    }

    @Test
    void samplesComeAsCsvWithTheHeaderXyAndNPoints() {
        HttpResponse<String> response = server.get("/api/runs/" + done + "/samples.csv?n=50");

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
        assertTrue(response.headers().firstValue("Content-Disposition").orElseThrow().contains(done + "-samples.csv"));
        String[] lines = response.body().split("\n");
        assertEquals("x,y", lines[0]);
        assertEquals(51, lines.length);
        for (int i = 1; i < lines.length; i++) {
            String[] xy = lines[i].split(",");
            assertEquals(2, xy.length, lines[i]);
            assertTrue(Double.isFinite(Double.parseDouble(xy[0])) && Double.isFinite(Double.parseDouble(xy[1])));
        }
    }

    @Test
    void samplesTakeAnySamplerOfTheConfig() {
        HttpResponse<String> ddim = server.get("/api/runs/" + done + "/samples.csv?n=20&sampler=ddim&sampleSteps=5&weights=raw");

        assertEquals(200, ddim.statusCode(), ddim.body());
        assertEquals(21, ddim.body().split("\n").length);
    }

    @Test
    void aBadSamplingParameterIsA400NamingIt() {
        HttpResponse<String> tooMany = server.get("/api/runs/" + done + "/samples.csv?n=1000000");
        HttpResponse<String> badSteps = server.get("/api/runs/" + done + "/samples.csv?sampleSteps=0");
        HttpResponse<String> badSampler = server.get("/api/runs/" + done + "/samples.csv?sampler=euler");
        HttpResponse<String> unknown = server.get("/api/runs/" + done + "/samples.csv?colour=red");

        assertEquals(400, tooMany.statusCode());
        assertEquals("n", server.json(tooMany).get("field").asText());
        assertEquals("sampleSteps", server.json(badSteps).get("field").asText());
        assertEquals("sampler", server.json(badSampler).get("field").asText());
        assertEquals(400, unknown.statusCode());
        assertEquals("colour", server.json(unknown).get("field").asText());
    }

    @Test
    void aSampleTooLongToDrawIsA400NamingTheChainBeforeAnyWorkStarts() {
        String defaultModel = server.createRun(TINY.replace("\"hidden\": 16, \"layers\": 2",
                "\"hidden\": 128, \"layers\": 3"));
        server.awaitState(defaultModel, Duration.ofSeconds(30), "done");
        HttpResponse<String> response = server.get("/api/runs/" + defaultModel
                + "/samples.csv?n=10000&sampler=langevin&sampleSteps=5000");
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("sampleSteps", server.json(response).get("field").asText());
    }

    @Test
    void aRunWithoutWeightsYetCannotBeSampled() {
        try (TestServer busy = TestServer.start(1, 4)) {
            String config = TINY.replace("\"steps\": 300", "\"steps\": 2000000");
            busy.createRun(config);
            String queued = busy.createRun(config);

            HttpResponse<String> response = busy.get("/api/runs/" + queued + "/samples.csv");

            assertEquals(409, response.statusCode(), response.body());
            assertTrue(busy.json(response).get("error").asText().contains("queued"));
        }
    }

    @Test
    void theLossCurveComesAsCsvWithIncreasingSteps() {
        HttpResponse<String> response = server.get("/api/runs/" + done + "/loss.csv");

        assertEquals(200, response.statusCode());
        String[] lines = response.body().split("\n");
        assertEquals("step,loss", lines[0]);
        assertTrue(lines.length > 10);
        long previous = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] parts = lines[i].split(",");
            long step = Long.parseLong(parts[0]);
            assertTrue(step > previous, "steps increase: " + lines[i]);
            assertTrue(Double.isFinite(Double.parseDouble(parts[1])));
            previous = step;
        }
        assertEquals(300, previous);
    }

    @Test
    void theConfigJsonStartsTheSameRunAgain() {
        HttpResponse<String> config = server.get("/api/runs/" + done + "/config.json");
        assertEquals(200, config.statusCode());
        assertTrue(config.headers().firstValue("Content-Disposition").orElseThrow().contains("attachment"));

        HttpResponse<String> again = server.post(server.owner, "/api/runs", config.body());

        assertEquals(201, again.statusCode(), again.body());
        JsonNode original = server.json(config);
        JsonNode copy = server.json(again).get("config");
        assertEquals(original, copy);
    }

    @Test
    void theConfigOfAPointsRunKeepsItsPoints() {
        StringBuilder points = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            points.append(i == 0 ? "" : ",").append("[").append(Math.cos(i) * 0.5).append(",").append(Math.sin(i)).append("]");
        }
        String id = server.createRun("{\"dataset\": \"points\", \"points\": " + points + "], \"steps\": 50, \"hidden\": 8,"
                + " \"timesteps\": 10, \"batchSize\": 16}");

        JsonNode config = server.json(server.get("/api/runs/" + id + "/config.json"));

        assertEquals(40, config.get("points").size());
        assertEquals(201, server.post(server.owner, "/api/runs", config.toString()).statusCode());
    }
}
