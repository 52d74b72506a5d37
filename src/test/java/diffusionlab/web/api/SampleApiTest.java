package diffusionlab.web.api;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.web.TestServer;
import diffusionlab.web.wire.CloudCodec;
import diffusionlab.web.wire.PackedCloud;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SampleApiTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();
    private static String diffusion;
    private static String score;

    @BeforeAll
    static void createRuns() {
        diffusion = server.createRun(TINY);
        score = server.createRun(TINY.replace("\"name\": \"tiny\"", "\"name\": \"score\", \"preset\": \"dsm\", \"objective\": \"dsm\", "
                + "\"sampleSteps\": 50"));
        server.awaitState(diffusion, Duration.ofSeconds(30), "done");
        server.awaitState(score, Duration.ofSeconds(30), "done");
    }

    @Test
    void ddimWithFewStepsAnswersPackedSamplesAndTheirPaths() {
        HttpResponse<String> response = server.get("/api/runs/" + diffusion + "/sample?sampler=ddim&sampleSteps=5&eta=0&n=300");

        assertEquals(200, response.statusCode(), response.body());
        JsonNode r = server.json(response);
        assertEquals("ddim", r.get("sampler").asText());
        assertEquals("ema", r.get("weights").asText());
        assertEquals(300, r.get("n").asInt());
        assertEquals(5, r.get("sampleSteps").asInt());
        assertEquals(300, r.get("trainingStep").asLong());
        float[] cloud = CloudCodec.unpack(server.json.convertValue(r.get("cloud"), PackedCloud.class));
        assertEquals(600, cloud.length);
        assertEquals(16, r.get("trajectories").size());
        assertEquals(6, r.get("trajectories").get(0).get("n").asInt(), "x_T and the 5 DDIM steps");
        assertTrue(r.get("distanceToData").asDouble() > 0);
    }

    @Test
    void theAncestralChainTakesTStepsAndRawWeightsCanBeChosen() {
        JsonNode r = server.json(server.get("/api/runs/" + diffusion + "/sample?sampler=ancestral&weights=raw&n=100"));

        assertEquals("ancestral", r.get("sampler").asText());
        assertEquals("raw", r.get("weights").asText());
        assertEquals(20, r.get("sampleSteps").asInt());
    }

    @Test
    void aScoreModelSamplesByLangevinDynamics() {
        JsonNode r = server.json(server.get("/api/runs/" + score + "/sample?sampleSteps=30&langevinStepSize=0.01&n=200"));

        assertEquals("langevin", r.get("sampler").asText());
        assertEquals(30, r.get("sampleSteps").asInt());
        assertEquals(31, r.get("trajectories").get(0).get("n").asInt());
    }

    @Test
    void aSamplerSettingOutOfRangeIsA400NamingIt() {
        HttpResponse<String> eta = server.get("/api/runs/" + diffusion + "/sample?sampler=ddim&eta=2");
        HttpResponse<String> steps = server.get("/api/runs/" + diffusion + "/sample?sampleSteps=abc");
        HttpResponse<String> n = server.get("/api/runs/" + diffusion + "/sample?n=0");

        assertEquals(400, eta.statusCode());
        assertEquals("eta", server.json(eta).get("field").asText());
        assertEquals("sampleSteps", server.json(steps).get("field").asText());
        assertEquals("n", server.json(n).get("field").asText());
    }
}
