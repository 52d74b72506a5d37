package diffusionlab.web.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.PostgresTestDatabase;
import diffusionlab.training.store.PrunePolicy;
import diffusionlab.training.store.StoreSettings;
import diffusionlab.web.TestServer;
import diffusionlab.web.WebSettings;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How soon a follower's view changes after the teacher's: 30 followers on /class/live, the teacher changes t
 * {@value #CHANGES} times (every {@value #GAP_MILLIS} ms), and each change is timed from just before its POST to
 * each follower's receipt (one clock: one JVM), in one process and over two web instances on PostgreSQL. Prints
 * p50, p95 and the worst. Run it alone:
 * {@code mvn -B -o test -Dtest=ClassFollowBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
class ClassFollowBenchmark {
    static final int FOLLOWERS = 30;
    static final int CHANGES = 100;
    static final long GAP_MILLIS = 50;
    private static final String KEY = "teacher-key-0123456789";

    /** A follower that notes when each t arrived. */
    static final class Follower implements WebSocket.Listener {
        final Map<Integer, Long> arrivals = new ConcurrentHashMap<>();
        private final ObjectMapper json = new ObjectMapper();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                try {
                    JsonNode m = json.readTree(partial.toString());
                    if (m.path("t").isInt()) {
                        arrivals.putIfAbsent(m.get("t").asInt(), now);
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    @Test
    void aFollowersViewChangesSoonAfterTheTeachers() throws Exception {
        try (TestServer server = TestServer.start(TestServer.SETTINGS.withAdminToken(KEY))) {
            measure("one process", server, List.of(server));
        }
    }

    /**
     * The web role: two web instances on PostgreSQL, the teacher on the first, the followers split between both, so
     * half of the changes travel through the database (a stored row and a NOTIFY) before they reach a follower.
     */
    @Test
    void aFollowersViewChangesSoonAfterTheTeachersOnAnotherWebInstance(@TempDir Path dataDir) throws Exception {
        PostgresTestDatabase.fresh();
        StoreSettings settings = new StoreSettings(dataDir, System.getenv("TEST_DATABASE_URL"),
                CheckpointPolicy.DEFAULT, PrunePolicy.KEEP_ALL);
        WebSettings web = TestServer.SETTINGS.withAdminToken(KEY);
        try (TestServer a = TestServer.over(RunRegistry.openMirror(settings), web);
             TestServer b = TestServer.over(RunRegistry.openMirror(settings), web)) {
            measure("two web instances", a, List.of(a, b));
        }
    }

    /** The teacher on {@code teacherOn}; the followers spread over {@code followersOn}, in turn. */
    private static void measure(String where, TestServer teacherOn, List<TestServer> followersOn) throws Exception {
        HttpClient teacher = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        assertEquals(200, teacherOn.post(teacher, "/api/teacher", "{\"token\": \"" + KEY + "\"}").statusCode());
        List<Follower> followers = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < FOLLOWERS; i++) {
            URI uri = URI.create("ws://localhost:" + followersOn.get(i % followersOn.size()).web.port() + "/class/live");
            Follower f = new Follower();
            followers.add(f);
            sockets.add(HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, f).join());
        }
        long[] sentAt = new long[CHANGES];
        for (int t = 0; t < CHANGES; t++) {
            sentAt[t] = System.nanoTime();
            assertEquals(200, teacherOn.post(teacher, "/api/class/present",
                    "{\"path\": \"/runs/bench\", \"t\": " + t + ", \"playing\": false}").statusCode());
            Thread.sleep(GAP_MILLIS);
        }
        Thread.sleep(1000);
        List<Double> millis = new ArrayList<>();
        int missing = 0;
        for (Follower f : followers) {
            for (int t = 0; t < CHANGES; t++) {
                Long at = f.arrivals.get(t);
                if (at == null) {
                    missing++;
                } else {
                    millis.add((at - sentAt[t]) / 1e6);
                }
            }
        }
        sockets.forEach(WebSocket::abort);
        Collections.sort(millis);
        System.out.printf("[bench-class] %s, %d followers, %d changes: p50 %.1f ms, p95 %.1f ms, max %.1f ms, "
                        + "%d of %d not received%n", where, FOLLOWERS, CHANGES, pct(millis, 0.50), pct(millis, 0.95),
                millis.get(millis.size() - 1), missing, FOLLOWERS * CHANGES);
        assertEquals(0, missing, "every follower gets every change when it reads as fast as it comes");
    }

    /**
     * What the class view's polling costs: the size of {@code GET /api/class/runs} with {@value #FOLLOWERS} finished
     * runs (each with its 300-point thumbnail) and how long the server takes to answer it, the median of 20.
     */
    @Test
    void theClassListOfThirtyRunsIsSmallAndQuick() {
        try (TestServer server = TestServer.start(TestServer.SETTINGS.withAdminToken(KEY))) {
            HttpClient teacher = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            assertEquals(200, server.post(teacher, "/api/teacher", "{\"token\": \"" + KEY + "\"}").statusCode());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < FOLLOWERS; i++) { // a few at a time: the server holds 16 active runs at most
                ids.add(server.createRun(TestServer.TINY));
                if (ids.size() % 10 == 0) {
                    ids.forEach(id -> server.awaitState(id, java.time.Duration.ofMinutes(2), "done"));
                }
            }
            List<Double> millis = new ArrayList<>();
            int bytes = 0;
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                bytes = server.send(teacher, "GET", "/api/class/runs", null).body().length();
                millis.add((System.nanoTime() - start) / 1e6);
            }
            Collections.sort(millis);
            System.out.printf("[bench-class] GET /api/class/runs with %d runs: %,d bytes, median %.1f ms%n",
                    FOLLOWERS, bytes, pct(millis, 0.5));
        }
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
