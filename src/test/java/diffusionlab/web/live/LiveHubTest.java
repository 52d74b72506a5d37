package diffusionlab.web.live;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.web.TestServer;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LiveHubTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @RegisterExtension
    static final TestServer server = TestServer.start();

    @Test
    void aViewerGetsOneSnapshotFirstThenLossPointsWithIncreasingSteps() throws Exception {
        String id = server.createRun(TINY.replace("\"steps\": 300", "\"steps\": 3000"));
        try (LiveClient viewer = LiveClient.open(server.web.port(), id)) {
            JsonNode first = viewer.next(WAIT);
            assertNotNull(first);
            assertEquals("snapshot", first.get("type").asText());
            assertEquals(id, first.get("status").get("id").asText());
            assertEquals("moons", first.get("config").get("dataset").asText());

            long last = lastStep(first.get("loss").get("steps"));
            int lossMessages = 0;
            JsonNode done = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (done == null && System.nanoTime() < deadline) {
                JsonNode m = viewer.next(WAIT);
                assertNotNull(m, "messages keep coming until the run ends");
                assertTrue(!m.get("type").asText().equals("snapshot"), "only one snapshot");
                if (m.get("type").asText().equals("loss")) {
                    for (JsonNode step : m.get("steps")) {
                        assertTrue(step.asLong() > last, "loss steps increase: " + step + " after " + last);
                        last = step.asLong();
                    }
                    lossMessages++;
                } else if (m.get("type").asText().equals("status") && m.get("status").get("state").asText().equals("done")) {
                    done = m;
                }
            }
            assertNotNull(done, "the viewer sees the run end");
            assertEquals(3000, last, "and every loss point up to the last step");
            assertTrue(lossMessages >= 1);
        }
    }

    @Test
    void aLateViewerGetsTheWholeHistoryAndThePicturesInTheSnapshot() throws Exception {
        String id = server.createRun(TINY);
        server.awaitState(id, WAIT, "done");

        try (LiveClient viewer = LiveClient.open(server.web.port(), id)) {
            JsonNode snapshot = viewer.next(WAIT);

            assertEquals("snapshot", snapshot.get("type").asText());
            assertEquals("done", snapshot.get("status").get("state").asText());
            assertEquals(300, lastStep(snapshot.get("loss").get("steps")));
            assertEquals(snapshot.get("loss").get("steps").size(), snapshot.get("loss").get("values").size());
            assertEquals(10, snapshot.get("forward").get("clouds").size());
            assertEquals(10, snapshot.get("reverse").get("clouds").size());
            assertEquals(10, snapshot.get("field").get("vectors").size());
            assertEquals(2000, snapshot.get("samples").get("cloud").get("n").asInt());
            assertEquals(500, snapshot.get("data").get("cloud").get("n").asInt(), "the run's 500 training points");
            assertTrue(snapshot.get("metric").get("steps").size() >= 1);
        }
    }

    @Test
    void severalViewersAtOnceEachGetTheSnapshotAndTheIncrements() throws Exception {
        // long enough that all five are connected before it ends, even on a busy machine
        String id = server.createRun(TINY.replace("\"steps\": 300", "\"steps\": 30000"));
        List<LiveClient> viewers = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                viewers.add(LiveClient.open(server.web.port(), id));
            }
            for (LiveClient viewer : viewers) {
                assertEquals("snapshot", viewer.next(WAIT).get("type").asText());
            }
            for (LiveClient viewer : viewers) {
                assertNotNull(viewer.until("status", m -> m.get("status").get("state").asText().equals("done"), WAIT),
                        "every viewer sees the run end");
            }
        } finally {
            viewers.forEach(LiveClient::close);
        }
    }

    @Test
    void aViewerThatNeverReadsStallsNeitherTrainingNorTheOtherViewers() throws Exception {
        String id = server.createRun(TINY.replace("\"steps\": 300", "\"steps\": 20000"));
        try (LiveClient stalled = LiveClient.stalled(server.web.port(), id);
             LiveClient stalled2 = LiveClient.stalled(server.web.port(), id);
             LiveClient reading = LiveClient.open(server.web.port(), id)) {
            assertEquals("snapshot", reading.next(WAIT).get("type").asText());

            JsonNode done = reading.until("status", m -> m.get("status").get("state").asText().equals("done"),
                    Duration.ofSeconds(60));

            assertNotNull(done, "training ends and the reading viewer hears of it while two viewers read nothing");
            assertEquals(20000, done.get("status").get("step").asLong());
        }
    }

    @Test
    void aSocketForAnUnknownRunIsRefused() {
        CompletionException refused = assertThrows(CompletionException.class, () -> HttpClient.newHttpClient()
                .newWebSocketBuilder().buildAsync(LiveClient.uri(server.web.port(), "nosuchrun"),
                        new WebSocket.Listener() { }).join());

        assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
        assertEquals(404, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }

    @Test
    void viewersThatLeaveAreUnsubscribed() throws Exception {
        String id = server.createRun(TINY);
        server.awaitState(id, WAIT, "done");
        LiveClient viewer = LiveClient.open(server.web.port(), id);
        assertEquals("snapshot", viewer.next(WAIT).get("type").asText());
        assertEquals(1, server.registry.get(id).orElseThrow().listenerCount());

        viewer.close();

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (server.registry.get(id).orElseThrow().listenerCount() > 0 && System.nanoTime() < deadline) {
            TestServer.sleep(20);
        }
        assertEquals(0, server.registry.get(id).orElseThrow().listenerCount());
    }

    private static long lastStep(JsonNode steps) {
        return steps.size() == 0 ? 0 : steps.get(steps.size() - 1).asLong();
    }
}
