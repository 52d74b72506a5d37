package diffusionlab.web.api;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.web.TestServer;
import diffusionlab.web.security.CsrfGuard;
import diffusionlab.web.security.OwnerCookie;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RunApiTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    @Test
    void reflowingAFinishedFlowStartsARunOnItsPairsAndBothDashboardsShowTheLineage() {
        String parent = server.createRun(TINY.replace("\"name\": \"tiny\"", "\"name\": \"a flow\", \"objective\": \"flow_matching\""));
        server.awaitState(parent, Duration.ofSeconds(60), "done");

        HttpResponse<String> response = server.post(server.stranger, "/api/runs/" + parent + "/reflow", null);

        assertEquals(201, response.statusCode(), response.body());
        JsonNode child = server.json(response);
        assertEquals("Reflow of a flow", child.get("name").asText());
        assertEquals(parent, child.get("config").get("reflowFrom").asText());
        assertEquals("flow_matching", child.get("config").get("objective").asText());
        String childId = child.get("id").asText();
        server.awaitState(childId, Duration.ofSeconds(60), "done");
        String childPage = server.get("/runs/" + childId).body();
        String parentPage = server.get("/runs/" + parent).body();
        assertTrue(childPage.contains("Reflow of <a href=\"/runs/" + parent + "\">a flow</a>"), "the child names its parent");
        assertTrue(parentPage.contains("<a href=\"/runs/" + childId + "\">Reflow of a flow</a>"), "the parent lists it");
        assertTrue(parentPage.contains("Reflow: straighten this flow"));
        assertTrue(server.get("/compare?runs=" + parent + "," + childId).body().contains(">flow_matching (reflow)<"),
                "the compare page labels the reflow");

        // the preset "Reflow: straighten a flow": the parent is required, and the reflow learns the parent's data
        HttpResponse<String> orphan = server.post(server.stranger, "/api/runs", "{\"preset\": \"reflow\"}");
        assertEquals(400, orphan.statusCode(), orphan.body());
        assertEquals("reflowFrom", server.json(orphan).get("field").asText());
        HttpResponse<String> preset = server.post(server.stranger, "/api/runs", TINY.replace("\"dataset\": \"moons\"",
                "\"preset\": \"reflow\", \"reflowFrom\": \"" + parent + "\", \"dataset\": \"circles\""));
        assertEquals(201, preset.statusCode(), preset.body());
        JsonNode fromPreset = server.json(preset).get("config");
        assertEquals("reflow", fromPreset.get("preset").asText());
        assertEquals(server.json(server.get("/api/runs/" + parent)).get("config").get("dataset").asText(),
                fromPreset.get("dataset").asText(), "a reflow learns its parent's data, whatever the form said");
        server.awaitState(server.json(preset).get("id").asText(), Duration.ofSeconds(60), "done");
    }

    @Test
    void onlyAFinishedFlowCanBeReflowedAndTheRefusalNamesReflowFrom() {
        String diffusion = server.createRun(TINY);
        server.awaitState(diffusion, Duration.ofSeconds(60), "done");
        HttpResponse<String> refused = server.post(server.stranger, "/api/runs/" + diffusion + "/reflow", null);
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("reflowFrom", server.json(refused).get("field").asText());
        assertTrue(server.json(refused).get("error").asText().contains("ddpm_simple"), refused.body());

        HttpResponse<String> direct = server.post(server.stranger, "/api/runs",
                TINY.replace("\"name\": \"tiny\"", "\"objective\": \"flow_matching\", \"reflowFrom\": \"nosuchrun\""));
        assertEquals(400, direct.statusCode(), direct.body());
        assertEquals("reflowFrom", server.json(direct).get("field").asText());
        assertEquals(404, server.post(server.stranger, "/api/runs/nosuchrun/reflow", null).statusCode());
    }

    @Test
    void startingARunAnswers201WithItsUrlAndSetsAnHttpOnlySameSiteOwnerCookie() {
        HttpResponse<String> response = server.post(server.stranger, "/api/runs", TINY);

        assertEquals(201, response.statusCode(), response.body());
        JsonNode run = server.json(response);
        String id = run.get("id").asText();
        assertEquals("/runs/" + id, run.get("url").asText());
        assertEquals("/runs/" + id, response.headers().firstValue("Location").orElseThrow());
        assertEquals("tiny", run.get("name").asText());
        assertEquals("moons", run.get("config").get("dataset").asText());
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith(OwnerCookie.NAME + "="), cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Lax"), cookie);
    }

    @Test
    void theOwnerCookieIsCreatedOnceAndTheRunKeepsOnlyItsHash() {
        String first = server.createRun(TINY);
        HttpResponse<String> second = server.post(server.owner, "/api/runs", TINY);

        assertEquals(201, second.statusCode());
        assertTrue(second.headers().firstValue("Set-Cookie").isEmpty(), "a browser keeps its one secret");
        String secret = server.owner.cookieHandler().map(h -> ((java.net.CookieManager) h).getCookieStore())
                .orElseThrow().getCookies().stream().filter(c -> c.getName().equals(OwnerCookie.NAME))
                .findFirst().orElseThrow().getValue();
        String hash = server.registry.get(first).orElseThrow().ownerHash();
        assertEquals(OwnerCookie.hash(secret), hash);
        assertNotEquals(secret, hash);
        assertEquals(hash, server.registry.get(server.json(second).get("id").asText()).orElseThrow().ownerHash());
    }

    @Test
    void theListShowsEachRunWithItsObjectiveStateAndStep() {
        String id = server.createRun(TINY);
        server.awaitState(id, Duration.ofSeconds(30), "done");

        JsonNode list = server.json(server.get("/api/runs"));

        JsonNode run = null;
        for (JsonNode r : list) {
            if (r.get("id").asText().equals(id)) {
                run = r;
            }
        }
        assertTrue(run != null, "the run is listed: " + list);
        assertEquals("ddpm_simple", run.get("objective").asText());
        assertEquals("done", run.get("state").asText());
        assertEquals(300, run.get("step").asLong());
        assertTrue(run.get("summary").asText().contains("moons"));
    }

    @Test
    void aRunAnswersItsConfigStateAndLatestLoss() {
        String id = server.createRun(TINY);

        JsonNode run = server.awaitState(id, Duration.ofSeconds(30), "done");

        assertEquals(300, run.get("status").get("step").asLong());
        assertEquals(300, run.get("status").get("totalSteps").asLong());
        assertEquals(16, run.get("config").get("hidden").asInt());
        assertTrue(run.get("latest").get("loss").isNumber(), run.toString());
        assertEquals(300, run.get("latest").get("lossStep").asLong());
        assertFalse(run.get("owner").asBoolean(), "a stranger does not own it");
        assertTrue(server.json(server.send(server.owner, "GET", "/api/runs/" + id, null)).get("owner").asBoolean());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"batchSize\": -3}                | batchSize",
            "{\"timesteps\": 5000}              | timesteps",
            "{\"lr\": 0}                        | lr",
            "{\"emaDecay\": 1}                  | emaDecay",
            "{\"dataset\": \"lines\"}           | dataset",
            "{\"objective\": \"magic\"}         | objective",
            "{\"betaStart\": 0.2, \"betaEnd\": 0.1} | betaStart",
            "{\"dataset\": \"points\"}          | points",
            "{\"sampleSteps\": 0}               | sampleSteps",
            "{\"name\": \"a\\u0001b\"}           | name",
    })
    void aValueOutOfRangeIsA400NamingTheField(String body, String field) {
        HttpResponse<String> response = server.post(server.owner, "/api/runs", body);

        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = server.json(response);
        assertEquals(field, error.get("field").asText(), response.body());
        assertFalse(error.get("error").asText().isBlank());
    }

    @Test
    void anUnknownFieldIsA400NamingIt() {
        HttpResponse<String> response = server.post(server.owner, "/api/runs", "{\"learningRate\": 0.1}");

        assertEquals(400, response.statusCode());
        assertEquals("learningRate", server.json(response).get("field").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"steps\": \"abc\"}        | steps",
            "{\"steps\": true}           | steps",
            "{\"steps\": [1, 2]}         | steps",
            "{\"steps\": {\"n\": 1}}     | steps",
            "{\"steps\": 1.5}            | steps",
            "{\"hidden\": 1e400}         | hidden",
            "{\"dataset\": 5}            | dataset",
            "{\"name\": 42}              | name",
            "{\"points\": \"1,2;3\"}     | points",
            "{\"points\": [[1, \"a\"]]}  | points",
    })
    void aValueOfTheWrongTypeIsA400NamingTheField(String body, String field) {
        HttpResponse<String> response = server.post(server.owner, "/api/runs", body);

        assertEquals(400, response.statusCode(), response.body());
        assertEquals(field, server.json(response).get("field").asText(), response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{bad", "", "[1, 2]", "\"text\"", "null", "{\"steps\": 1} trailing",
            "{\"steps\": 1, \"steps\": 2}"})
    void aBodyThatIsNotOneJsonObjectIsA400(String body) {
        HttpResponse<String> response = server.post(server.owner, "/api/runs", body);

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(server.json(response).has("error"));
    }

    @Test
    void aNameWithARightToLeftOverrideOrALineSeparatorIsA400NamingIt() {
        for (String name : List.of("\\u202Egnp.exe", "first\\u2028second")) {
            HttpResponse<String> response = server.post(server.owner, "/api/runs", "{\"name\": \"" + name + "\"}");

            assertEquals(400, response.statusCode(), response.body());
            assertEquals("name", server.json(response).get("field").asText());
        }
    }

    @Test
    void nothingAClientSendsGivesA500() {
        List<String> bodies = List.of("{\"name\": null}", "{\"seed\": -1}", "{\"seed\": 1e300}", "{\"lr\": \"NaN\"}",
                "{\"lr\": \"Infinity\"}", "{\"datasetNoise\": \"\"}", "{\"name\": \"a\\u0000b\"}",
                "{\"points\": [[1e38, 1e38]]}", "{\"points\": []}", "{\"points\": [1, 2, 3]}",
                "{\"preset\": \"nope\"}", "{\"sampler\": \"ddim\", \"objective\": \"dsm\"}",
                "{\"weights\": 3}", "{\"steps\": -0.0}", "{\"batchSize\": 99999999999999999999999}",
                "{\"" + "k".repeat(10_000) + "\": 1}");
        for (String body : bodies) {
            int status = server.post(server.owner, "/api/runs", body).statusCode();
            assertTrue(status == 201 || (status >= 400 && status < 500), body + " gave " + status);
        }
        server.registry.list().forEach(r -> r.stop());
    }

    @Test
    void aHugeBodyIsA413WithOrWithoutItsLength() throws Exception {
        String huge = "{\"name\": \"" + "x".repeat(9_000_000) + "\"}";

        HttpResponse<String> sized = server.post(server.owner, "/api/runs", huge);
        HttpResponse<String> chunked = server.owner.send(HttpRequest.newBuilder(server.uri("/api/runs"))
                        .header("Content-Type", "application/json").header(CsrfGuard.HEADER, "fetch")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes())))
                        .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(413, sized.statusCode());
        assertTrue(server.json(sized).has("error"));
        assertEquals(413, chunked.statusCode());
        assertTrue(server.json(chunked).has("error"));
    }

    @ParameterizedTest
    @CsvSource({"GET, /api/runs/nosuchrun", "DELETE, /api/runs/nosuchrun", "POST, /api/runs/nosuchrun/pause",
            "POST, /api/runs/nosuchrun/resume", "POST, /api/runs/nosuchrun/stop", "GET, /api/runs/nosuchrun/loss.csv",
            "GET, /api/runs/nosuchrun/samples.csv", "GET, /api/runs/nosuchrun/config.json",
            "GET, /api/runs/nosuchrun/sample", "GET, /api/nothing/here"})
    void anUnknownRunIsA404InJson(String method, String path) {
        HttpResponse<String> response = server.send(server.owner, method, path, null);

        assertEquals(404, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(server.json(response).get("error").asText().length() > 5);
    }

    @Test
    void onlyTheOwnerCanDeleteARun() {
        String id = server.createRun(TINY);

        HttpResponse<String> stranger = server.send(server.stranger, "DELETE", "/api/runs/" + id, null);
        HttpResponse<String> owner = server.send(server.owner, "DELETE", "/api/runs/" + id, null);

        assertEquals(403, stranger.statusCode());
        assertTrue(server.json(stranger).has("error"));
        assertEquals(204, owner.statusCode());
        assertEquals(404, server.get("/api/runs/" + id).statusCode());
    }

    @Test
    void theLargestConfigTheValidatorAcceptsIsA400NamingItsBatchNotARunThatDiesOfMemory() {
        HttpResponse<String> response = server.post(server.owner, "/api/runs",
                "{\"datasetSize\": 100000, \"hidden\": 512, \"layers\": 6, \"batchSize\": 10000}");
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("batchSize", server.json(response).get("field").asText());
        assertTrue(server.json(response).get("error").asText().contains("MB per run"), response.body());
    }

    @Test
    void startingMoreRunsThanTheLimitIsA429() {
        try (TestServer small = TestServer.start(1, 2)) {
            String config = TINY.replace("\"steps\": 300", "\"steps\": 2000000");
            small.createRun(config);
            small.createRun(config);

            HttpResponse<String> third = small.post(small.owner, "/api/runs", config);

            assertEquals(429, third.statusCode());
            assertTrue(small.json(third).get("error").asText().contains("at most 2"));
        }
    }
}
