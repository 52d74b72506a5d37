package diffusionlab.web.security;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import diffusionlab.web.WebSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * One client cannot hurt the class: each client (an address, here told apart by {@code X-Forwarded-For} behind a
 * trusted proxy) holds at most its share of active runs, live sockets and sample jobs, and every 429 says when
 * to try again.
 */
class FairSharesTest {
    static final String LONG = TINY.replace("\"steps\": 300", "\"steps\": 2000000");
    static final String TOKEN = "a-teacher-token-0123456789";
    static final WebSettings SETTINGS = TestServer.SETTINGS.withTrustForwardedFor(true)
            .withShares(new FairShares(3, 3, 1)).withAdminToken(TOKEN);

    static HttpResponse<String> startRun(TestServer server, String client, String... headers) {
        List<String> all = new ArrayList<>(List.of("X-Forwarded-For", client));
        all.addAll(List.of(headers));
        return server.send(server.stranger, "POST", "/api/runs", LONG, all.toArray(String[]::new));
    }

    /** A 429 that says when to try again, in whole seconds. */
    static void assertTooManyWithRetryAfter(int status, HttpHeaders headers, String what) {
        assertEquals(429, status, what);
        long seconds = Long.parseLong(headers.firstValue("Retry-After").orElseThrow(() ->
                new AssertionError(what + ": a 429 without Retry-After")));
        assertTrue(seconds >= 1, what + ": Retry-After " + seconds);
    }

    @Test
    void oneClientsFourthActiveRunIsA429WithRetryAfterWhileAnotherClientStillStartsOne() {
        try (TestServer server = TestServer.start(SETTINGS)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(201, startRun(server, "203.0.113.1").statusCode());
            }
            HttpResponse<String> fourth = startRun(server, "203.0.113.1");
            assertTooManyWithRetryAfter(fourth.statusCode(), fourth.headers(), "the fourth run");
            assertEquals(201, startRun(server, "203.0.113.2").statusCode(), "another client");
            assertEquals(201, startRun(server, "203.0.113.1", "Authorization", "Bearer " + TOKEN).statusCode(),
                    "the teacher is not counted");
            String first = server.registry.list().get(server.registry.list().size() - 1).id();
            server.send(server.stranger, "DELETE", "/api/runs/" + first, null, "Authorization", "Bearer " + TOKEN);
            assertEquals(201, startRun(server, "203.0.113.1").statusCode(), "a run ended: its slot is free again");
        }
    }

    @Test
    void oneClientsSocketFloodLeavesRoomForAnotherClientsViewer() {
        try (TestServer server = TestServer.start(SETTINGS)) {
            String run = server.createRun(TINY);
            List<WebSocket> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                open.add(connect(server, run, "203.0.113.1").join());
            }
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> connect(server, run, "203.0.113.1").join());
            HttpResponse<?> response = ((WebSocketHandshakeException) refused.getCause()).getResponse();
            assertTooManyWithRetryAfter(response.statusCode(), response.headers(), "the fourth socket");
            open.add(connect(server, run, "203.0.113.2").join());
            open.forEach(s -> s.abort());
        }
    }

    @Test
    void oneClientsSampleInTheQueueDoesNotTurnAwayAnotherClient() {
        try (TestServer server = TestServer.start(SETTINGS)) {
            String run = server.createRun(TINY);
            server.awaitState(run, Duration.ofSeconds(30), "done");
            String longer = "/api/runs/" + run + "/sample?n=2000&sampler=langevin&sampleSteps=3000";
            CompletableFuture<HttpResponse<String>> busy = get(server, longer, "203.0.113.1");
            sleep(200);
            String quick = "/api/runs/" + run + "/sample?n=100&sampler=ddim&sampleSteps=5";
            HttpResponse<String> again = get(server, quick, "203.0.113.1").join();
            assertTooManyWithRetryAfter(again.statusCode(), again.headers(), "the client's second sample");
            assertEquals(200, get(server, quick, "203.0.113.2").join().statusCode(), "another client, after it");
            assertEquals(200, busy.join().statusCode());
        }
    }

    @Test
    void theServersOwnCapsAlsoSayWhenToTryAgain() {
        WebSettings oneEach = SETTINGS.withMaxViewers(1).withRunRate(1, 1);
        try (TestServer server = TestServer.start(oneEach)) {
            String run = server.createRun(TINY);
            HttpResponse<String> rate = server.post(server.owner, "/api/runs", TINY);
            assertTooManyWithRetryAfter(rate.statusCode(), rate.headers(), "the run rate");
            WebSocket viewer = connect(server, run, "203.0.113.1").join();
            CompletionException refused = assertThrows(CompletionException.class,
                    () -> connect(server, run, "203.0.113.2").join());
            HttpResponse<?> full = ((WebSocketHandshakeException) refused.getCause()).getResponse();
            assertTooManyWithRetryAfter(full.statusCode(), full.headers(), "all live sockets taken");
            viewer.abort();
        }
        try (TestServer server = TestServer.start(1, 1)) {
            server.createRun(LONG);
            HttpResponse<String> full = server.post(server.owner, "/api/runs", TINY);
            assertTooManyWithRetryAfter(full.statusCode(), full.headers(), "all active-run slots taken");
        }
    }

    private static CompletableFuture<WebSocket> connect(TestServer server, String run, String client) {
        return HttpClient.newHttpClient().newWebSocketBuilder().header("X-Forwarded-For", client)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://localhost:" + server.web.port() + "/runs/" + run + "/live"),
                        new WebSocket.Listener() {
                        });
    }

    private static CompletableFuture<HttpResponse<String>> get(TestServer server, String path, String client) {
        return server.stranger.sendAsync(HttpRequest.newBuilder(server.uri(path)).header("X-Forwarded-For", client)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
