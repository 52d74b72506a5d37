package diffusionlab.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.web.TestServer;
import diffusionlab.web.errors.ErrorHandlers;
import diffusionlab.web.json.Json;
import diffusionlab.web.pages.PageRenderer;
import diffusionlab.web.pages.StaticAssets;
import io.javalin.Javalin;
import io.javalin.apibuilder.ApiBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LangevinPathApiTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();
    private static String run;

    @BeforeAll
    static void trainAScoreModel() {
        run = server.createRun(TestServer.TINY.replace("{", "{\"preset\": \"dsm\", "));
        server.awaitState(run, Duration.ofSeconds(60), "done");
    }

    private static JsonNode path(String query) {
        HttpResponse<String> response = server.get("/api/runs/" + run + "/langevin-path?" + query);
        assertEquals(200, response.statusCode(), response.body());
        return server.json(response);
    }

    @Test
    void theWalkStartsAtTheGivenPointAndKeepsEveryStep() {
        JsonNode walk = path("x=1&y=-0.5&steps=7");

        assertEquals(2 * 8, walk.get("path").size());
        assertEquals(1.0, walk.get("path").get(0).asDouble(), 1e-6);
        assertEquals(-0.5, walk.get("path").get(1).asDouble(), 1e-6);
        assertEquals(7, walk.get("steps").asInt());
    }

    @Test
    void byDefaultItIsTheNotebooksExperiment() {
        JsonNode walk = path("");

        assertEquals(1.5, walk.get("path").get(0).asDouble(), 1e-6);
        assertEquals(-1.5, walk.get("path").get(1).asDouble(), 1e-6);
        assertEquals(2 * 11, walk.get("path").size(), "ten steps");
        assertEquals(0.01, walk.get("langevinStepSize").asDouble());
        assertEquals(0.9, walk.get("langevinDecay").asDouble());
        assertEquals(1.0, walk.get("temperature").asDouble());
    }

    @Test
    void theNoiseComesFromTheSeedAndVanishesAtTemperatureZero() {
        assertEquals(path("seed=3").get("path"), path("seed=3").get("path"), "deterministic for a seed");
        assertNotEquals(path("seed=3").get("path"), path("seed=4").get("path"), "noisy");
        assertEquals(path("seed=3&temperature=0").get("path"), path("seed=4&temperature=0").get("path"),
                "at τ = 0 the walk is gradient ascent: no noise, whatever the seed");
    }

    @ParameterizedTest
    @CsvSource({
            "steps=1001, steps, 1000",
            "steps=0, steps, 1000",
            "x=11, x, 10",
            "y=-1e9, y, 10",
            "x=NaN, x, 10",
            "langevinStepSize=2, langevinStepSize, 1",
            "langevinDecay=0, langevinDecay, 1",
            "temperature=11, temperature, 10",
            "sampleSteps=5, sampleSteps, steps"})
    void badInputIsA400NamingTheFieldAndItsLimit(String query, String field, String limit) {
        HttpResponse<String> response = server.get("/api/runs/" + run + "/langevin-path?" + query);

        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = server.json(response);
        assertEquals(field, error.get("field").asText());
        assertTrue(error.get("error").asText().contains(limit), error.get("error").asText());
    }

    @Test
    void aWalkWhileEverySlotIsTakenIsA429WithRetryAfter() throws Exception {
        LangevinPathApi busy = new LangevinPathApi(server.registry, 0);
        ErrorHandlers errors = new ErrorHandlers(PageRenderer.precompiled(StaticAssets.fromClasspath()), Json.mapper());
        Javalin app = Javalin.create(config -> {
            config.router.apiBuilder(() -> ApiBuilder.get("/api/runs/{id}/langevin-path", busy::path));
            config.router.mount(errors::register);
        }).start(0);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://localhost:" + app.port() + "/api/runs/" + run + "/langevin-path")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(429, response.statusCode(), response.body());
            assertEquals("1", response.headers().firstValue("Retry-After").orElseThrow());
        } finally {
            app.stop();
        }
    }

    @Test
    void anUnknownRunIsA404() {
        assertEquals(404, server.get("/api/runs/nosuchrun/langevin-path").statusCode());
    }
}
