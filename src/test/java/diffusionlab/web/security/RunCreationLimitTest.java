package diffusionlab.web.security;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.web.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Starting runs is limited per client: a token bucket per address, 429 with Retry-After past it. */
class RunCreationLimitTest {

    @Test
    void theEleventhRunInAMinuteIsA429WithRetryAfterAndAJsonError() {
        try (TestServer server = TestServer.start(TestServer.SETTINGS.withRunRate(10, 10))) {
            for (int i = 0; i < 10; i++) {
                assertEquals(201, server.post(server.owner, "/api/runs", TINY).statusCode(), "run " + (i + 1));
            }

            HttpResponse<String> eleventh = server.post(server.owner, "/api/runs", TINY);

            assertEquals(429, eleventh.statusCode());
            long retryAfter = Long.parseLong(eleventh.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 6, "one run every 6 s: " + retryAfter);
            JsonNode error = server.json(eleventh);
            assertTrue(error.get("error").asText().contains("10 a minute"), eleventh.body());
            assertEquals(10, server.registry.list().size(), "the refused run was not started");
        }
    }

    @Test
    void aClientOutOfAllowanceIsRefusedBeforeItsBodyIsRead() {
        try (TestServer server = TestServer.start(TestServer.SETTINGS.withRunRate(1, 1))) {
            assertEquals(201, server.post(server.owner, "/api/runs", TINY).statusCode());
            // a body that would be a 400 if it were parsed: the 429 comes first
            assertEquals(429, server.post(server.owner, "/api/runs", "{\"batchSize\": -1}").statusCode());
            assertEquals(429, server.post(server.owner, "/api/compare/loss-variants", "{\"steps\": -1}").statusCode());
        }
    }

    @Test
    void mistakesCostNothingOnlyStartedRunsCount() {
        try (TestServer server = TestServer.start(TestServer.SETTINGS.withRunRate(2, 2))) {
            for (int i = 0; i < 20; i++) {
                assertEquals(400, server.post(server.owner, "/api/runs", "{\"batchSize\": -1}").statusCode());
            }
            assertEquals(201, server.post(server.owner, "/api/runs", TINY).statusCode());
            assertEquals(201, server.post(server.owner, "/api/runs", TINY).statusCode());
            assertEquals(429, server.post(server.owner, "/api/runs", TINY).statusCode());
        }
    }

    @Test
    void theLossVariantComparisonCountsEachOfItsRuns() {
        int variants = diffusionlab.training.Presets.LOSS_VARIANTS.length;
        try (TestServer server = TestServer.start(TestServer.SETTINGS.withRunRate(variants + 1, variants + 1))) {
            String body = "{\"dataset\": \"moons\", \"datasetSize\": 200, \"steps\": 50, \"seed\": 3}";
            assertEquals(201, server.post(server.owner, "/api/compare/loss-variants", body).statusCode());

            HttpResponse<String> again = server.post(server.owner, "/api/compare/loss-variants", body);
            assertEquals(429, again.statusCode(), variants + " runs taken, 1 left");
            assertTrue(again.headers().firstValue("Retry-After").isPresent());
            assertEquals(201, server.post(server.owner, "/api/runs", TINY).statusCode(), "the one left");
        }
    }

    @Test
    void behindATrustedRouterEachForwardedClientHasItsOwnAllowance() {
        try (TestServer server = TestServer.start(TestServer.SETTINGS.withRunRate(1, 1).withTrustForwardedFor(true))) {
            assertEquals(201, send(server, "spoofed, 203.0.113.1").statusCode());
            assertEquals(429, send(server, "198.51.100.7, 203.0.113.1").statusCode(),
                    "the router's own (last) address is the client; what the client prepends is ignored");
            assertEquals(201, send(server, "203.0.113.2").statusCode());
        }
    }

    @Test
    void withoutATrustedRouterTheForwardedHeaderIsIgnored() {
        try (TestServer server = TestServer.start(TestServer.SETTINGS.withRunRate(1, 1))) {
            assertEquals(201, send(server, "203.0.113.1").statusCode());
            assertEquals(429, send(server, "203.0.113.2").statusCode());
        }
    }

    private static HttpResponse<String> send(TestServer server, String forwardedFor) {
        return server.send(server.owner, "POST", "/api/runs", TINY, "X-Forwarded-For", forwardedFor);
    }
}
