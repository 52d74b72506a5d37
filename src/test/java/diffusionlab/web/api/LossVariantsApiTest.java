package diffusionlab.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.training.Presets;
import diffusionlab.training.Run;
import diffusionlab.web.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LossVariantsApiTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    @Test
    void oneClickStartsEveryObjectiveOnTheSameDataAndSeedAndOpensTheComparePage() {
        HttpResponse<String> response = server.post(server.owner, "/api/compare/loss-variants",
                "{\"dataset\": \"circles\", \"seed\": 7, \"steps\": 50}");

        assertEquals(201, response.statusCode(), response.body());
        JsonNode started = server.json(response);
        List<String> ids = new ArrayList<>();
        started.get("ids").forEach(id -> ids.add(id.asText()));
        assertEquals(Presets.LOSS_VARIANTS.length, ids.size());
        assertEquals("/compare?runs=" + String.join(",", ids), started.get("url").asText());
        List<String> objectives = new ArrayList<>();
        for (String id : ids) {
            Run run = server.registry.get(id).orElseThrow();
            assertEquals("circles", run.config().experiment().dataset().id());
            assertEquals(7, run.config().experiment().seed());
            assertEquals(50, run.config().experiment().steps(), "one training budget for every objective");
            objectives.add(run.config().experiment().objective().id());
        }
        assertEquals(List.of("ddpm_simple", "ddpm_simple", "ddpm_vlb", "vlb_sohl", "dsm", "ssm", "flow_matching"),
                objectives);
        assertEquals(200, server.get(started.get("url").asText()).statusCode());
        ids.forEach(id -> server.registry.get(id).orElseThrow().stop());
    }

    @Test
    void aFieldThatIsNotAboutTheDataIsA400() {
        assertRefusedNamingWithNoRunStarted("{\"objective\": \"dsm\"}", "objective");
    }

    @Test
    void aBadDataFieldIsA400BeforeAnyRunStarts() {
        assertRefusedNamingWithNoRunStarted("{\"seed\": -5}", "seed");
    }

    /** Asks for the comparison with {@code body}: a 400 that names {@code field}, and no run started. */
    private static void assertRefusedNamingWithNoRunStarted(String body, String field) {
        int before = server.registry.list().size();

        HttpResponse<String> response = server.post(server.owner, "/api/compare/loss-variants", body);

        assertEquals(400, response.statusCode());
        assertEquals(field, server.json(response).get("field").asText());
        assertEquals(before, server.registry.list().size(), "no run starts");
    }
}
