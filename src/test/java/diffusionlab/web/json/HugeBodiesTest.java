package diffusionlab.web.json;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import diffusionlab.web.WebApp;
import diffusionlab.web.security.CsrfGuard;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The attack of issue 9, as a curious student would send it: bodies just under the size limit whose
 * {@code points} are millions of {@code []}. Built as a tree, six of them at once took more heap than the
 * server has; read as a stream, each is refused at its first {@code []}.
 */
class HugeBodiesTest {
    private static final int CONCURRENT = 6;

    @Test
    void sixConcurrentBodiesOfMillionsOfEmptyPairsAreRefusedAndHurtNoOtherRun() throws Exception {
        try (TestServer server = TestServer.start()) {
            String training = server.createRun(TINY.replace("\"steps\": 300", "\"steps\": 2000000"));
            server.awaitState(training, Duration.ofSeconds(30), "running");
            String body = hugeBody();
            assertTrue(body.length() > WebApp.MAX_BODY_BYTES - 300_000 && body.length() <= WebApp.MAX_BODY_BYTES);

            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                answers.add(server.stranger.sendAsync(HttpRequest.newBuilder(server.uri("/api/runs"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .header(CsrfGuard.HEADER, "fetch").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.join();
                assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, response.statusCode()
                        + " " + response.body());
                assertTrue(server.json(response).get("error").asText().length() > 10, response.body());
            }
            System.out.printf("%d bodies of %.1f MB refused in %d ms%n", CONCURRENT, body.length() / 1e6,
                    (System.nanoTime() - start) / 1_000_000);

            assertEquals(200, server.get("/").statusCode(), "the server still answers");
            assertNotEquals("failed", server.json(server.get("/api/runs/" + training)).path("status").path("state")
                    .asText(), "the run that was training meanwhile");
            server.createRun(TINY);
        }
    }

    /** {"dataset": "points", "points": [[], [], ...]}, 2.6 million empty pairs, just under the limit. */
    private static String hugeBody() {
        String head = "{\"dataset\": \"points\", \"points\": [";
        int pairs = (WebApp.MAX_BODY_BYTES - head.length() - 10) / 3;
        StringBuilder sb = new StringBuilder(WebApp.MAX_BODY_BYTES).append(head);
        for (int i = 0; i < pairs; i++) {
            sb.append(i == 0 ? "[]" : ",[]");
        }
        return sb.append("]}").toString();
    }
}
