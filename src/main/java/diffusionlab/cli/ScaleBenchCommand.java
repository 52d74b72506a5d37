package diffusionlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench-scale}: the scale-out figures of docs/SCALING.md on this machine, against the PostgreSQL of
 * {@code $DATABASE_URL} (use a database of its own: the runs it creates are deleted at the end, the others are
 * left alone but compete for the workers). It starts the app's processes itself ({@link AppProcess}, this jar):
 * <ol>
 *   <li>throughput: {@code --runs} queued runs of {@code --preset} ({@code --steps} each) on one worker, then on
 *   two (each {@code MAX_CONCURRENT_RUNS=1}); the wall time from the first created to the last finished;</li>
 *   <li>latency: {@code --viewers} live sockets over two web instances on one run trained by a worker, for
 *   {@code --seconds}; per loss message, its arrival minus the worker's stamp of its newest point ({@code at});</li>
 *   <li>kill -9 of the worker training that run: seconds until another worker trains it, the step it resumed from,
 *   and whether the stored loss history ends complete, every point once;</li>
 *   <li>a web instance restarted while half the viewers watch: they reconnect and whether any loss point is
 *   missing from what they saw.</li>
 * </ol>
 * Prints one line per figure with the target it is judged against.
 */
public final class ScaleBenchCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "bench-scale-" + java.util.UUID.randomUUID();

    private ScaleBenchCommand() {
    }

    public static int run(Args args) {
        int runs = args.takeInt("runs", 8, 1, 64);
        int steps = args.takeInt("steps", 30_000, 100, 2_000_000);
        int viewers = args.takeInt("viewers", 30, 2, 500);
        int seconds = args.takeInt("seconds", 30, 5, 3600);
        String preset = args.take("preset", "default");
        if (!args.remainingAsCamelCase().isEmpty()) {
            throw new UsageException("bench-scale", "unknown option(s) " + args.remainingAsCamelCase().keySet()
                    + "; bench-scale takes --runs --steps --viewers --seconds --preset");
        }
        String url = System.getenv("DATABASE_URL");
        if (url == null || url.isBlank()) {
            throw new UsageException("DATABASE_URL", "bench-scale needs DATABASE_URL: the PostgreSQL database the web "
                    + "and worker processes share (one of its own: it creates and deletes runs)");
        }
        try {
            return new ScaleBenchCommand.Bench(url, runs, steps, viewers, seconds, preset).run();
        } catch (Exception e) {
            System.err.println("error: bench-scale failed: " + e);
            return 1;
        }
    }

    private static final class Bench {
        private final String databaseUrl;
        private final int runs;
        private final int steps;
        private final int viewers;
        private final int seconds;
        private final String preset;
        private final Path logs;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final List<AppProcess> processes = new ArrayList<>();
        private boolean allOk = true;

        Bench(String databaseUrl, int runs, int steps, int viewers, int seconds, String preset) throws Exception {
            this.databaseUrl = databaseUrl;
            this.runs = runs;
            this.steps = steps;
            this.viewers = viewers;
            this.seconds = seconds;
            this.preset = preset;
            this.logs = Files.createTempDirectory("bench-scale");
        }

        int run() throws Exception {
            System.out.printf(Locale.ROOT, "bench-scale: %d cores; logs in %s%n", Runtime.getRuntime().availableProcessors(),
                    logs);
            try {
                AppProcess web = start("web", "web-1", AppProcess.freePort());
                AppProcess w1 = start("worker", "worker-1", AppProcess.freePort());
                awaitReady(web, w1);

                double one = throughput(web, "one worker");
                AppProcess w2 = start("worker", "worker-2", AppProcess.freePort());
                awaitReady(w2);
                double two = throughput(web, "two workers");
                verdict(String.format(Locale.ROOT, "%d runs: two workers take %.2fx the wall time of one", runs, two / one),
                        two / one <= 0.6, "<= 0.6");

                int port2 = AppProcess.freePort();
                AppProcess web2 = start("web", "web-2", port2);
                awaitReady(web2);
                // long enough to outlast the viewers, the restart and the kill, at the speed one worker just had
                double stepsPerSecond = (double) runs * steps / one;
                long longSteps = Math.max(steps, Math.round(stepsPerSecond * (seconds + 120) / 2000.0) * 2000);
                String id = create(web, longSteps);
                awaitState(web, id, "running", 120);
                List<Viewer> all = new ArrayList<>();
                for (int i = 0; i < viewers; i++) {
                    all.add(Viewer.open(http, (i % 2 == 0 ? web : web2).port(), id));
                }
                for (Viewer v : all) {
                    v.awaitSnapshot();
                    v.recording = true;
                }
                Thread.sleep(seconds * 1000L);
                List<Long> delays = new ArrayList<>();
                all.forEach(v -> delays.addAll(v.delays()));
                Collections.sort(delays);
                long p50 = pct(delays, 50);
                long p95 = pct(delays, 95);
                verdict(String.format(Locale.ROOT, "a loss point reaches %d viewers on two web instances: p50 %d ms, p95 "
                        + "%d ms, max %d ms (%d messages)", viewers, p50, p95, delays.isEmpty() ? -1
                        : delays.get(delays.size() - 1), delays.size()), !delays.isEmpty() && p95 <= 300, "p95 <= 300 ms");

                // a web instance restarts while its viewers watch; they reconnect
                web2.close();
                processes.remove(web2);
                AppProcess again = start("web", "web-2-restarted", port2);
                awaitReady(again);
                for (int i = 0; i < all.size(); i++) {
                    if (i % 2 == 1) {
                        all.set(i, all.get(i).reconnect(http, port2, id));
                    }
                }

                // kill -9 of the worker that trains the run
                JsonNode before = get(web, "/api/runs/" + id);
                AppProcess doomed = null; // the worker that claimed it (no other has yet)
                for (AppProcess w : List.of(w1, w2)) {
                    if (w.output().contains("trains run " + id)) {
                        doomed = w;
                    }
                }
                if (doomed == null) {
                    throw new IllegalStateException("no worker trains run " + id);
                }
                AppProcess survivor = doomed == w1 ? w2 : w1;
                long beforeStep = before.path("status").path("step").asLong();
                doomed.kill();
                long killed = System.nanoTime();
                String line = null;
                while ((System.nanoTime() - killed) < 60_000_000_000L && line == null) {
                    line = survivor.output().lines().filter(l -> l.contains("trains run " + id)).reduce((a, b) -> b)
                            .orElse(null);
                    Thread.sleep(50);
                }
                double resumedAfter = (System.nanoTime() - killed) / 1e9;
                verdict(String.format(Locale.ROOT, "kill -9 of the worker at step ~%d: training again on the other "
                        + "after %.1f s (%s)", beforeStep, resumedAfter, line == null ? "never" : line.replaceAll(
                        ".*(from step \\d+).*", "$1")), line != null && resumedAfter <= 15, "<= 15 s");
                awaitState(web, id, "done", 3600);
                Thread.sleep(1_000);
                List<Long> stored = lossSteps(web, id);
                boolean complete = everyStepOnce(stored, longSteps);
                verdict("the stored loss history after the kill: " + stored.size() + " points, every step from the "
                        + "first to the last once: " + complete, complete, "complete and unique");
                int missing = 0;
                int incomplete = 0;
                for (Viewer v : all) {
                    if (!everyStepOnce(v.steps(), longSteps)) {
                        incomplete++;
                    }
                    missing += Math.max(0, 2000 - v.steps().size());
                }
                verdict(String.format(Locale.ROOT, "%d viewers (half reconnected to the restarted web instance, all "
                        + "through the kill): %d saw a gap or a repeat, %d points missing in all", viewers, incomplete,
                        missing), incomplete == 0, "none");
                all.forEach(Viewer::close);
                send(web, "DELETE", "/api/runs/" + id, null);
            } finally {
                for (AppProcess p : processes) {
                    p.close();
                }
            }
            return allOk ? 0 : 1;
        }

        private AppProcess start(String role, String name, int port) {
            Map<String, String> env = Map.of("DATABASE_URL", databaseUrl, "MAX_CONCURRENT_RUNS", "1",
                    "ADMIN_TOKEN", ADMIN, "ACTIVE_RUNS_PER_CLIENT", "1000", "RUNS_PER_MINUTE", "10000",
                    "VIEWERS_PER_CLIENT", "100000", "CHECKPOINT_EVERY_SECONDS", "5", "PORT", Integer.toString(port));
            AppProcess p = AppProcess.start(role, env, logs.resolve(name + ".log"), port);
            processes.add(p);
            return p;
        }

        private static void awaitReady(AppProcess... ps) throws InterruptedException {
            for (AppProcess p : ps) {
                String ready = p.role().equals("web") ? "is listening on" : "trains up to";
                if (!p.awaitOutput(ready, Duration.ofSeconds(120))) {
                    throw new IllegalStateException(p.role() + " did not start:\n" + p.output());
                }
            }
        }

        /** Seconds from the first of {@code runs} runs created to the last one done. */
        private double throughput(AppProcess web, String label) throws Exception {
            long start = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                ids.add(create(web, steps));
            }
            for (String id : ids) {
                awaitState(web, id, "done", 3600);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "  %d runs of %s, %d steps, on %s: %.1f s%n", runs, preset, steps, label, secs);
            for (String id : ids) {
                send(web, "DELETE", "/api/runs/" + id, null);
            }
            return secs;
        }

        private String create(AppProcess web, long runSteps) throws Exception {
            JsonNode r = send(web, "POST", "/api/runs", "{\"preset\": \"" + preset + "\", \"steps\": " + runSteps + "}");
            return r.get("id").asText();
        }

        private void awaitState(AppProcess web, String id, String state, int timeoutSeconds) throws Exception {
            long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (get(web, "/api/runs/" + id).path("status").path("state").asText().equals(state)) {
                    return;
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException("run " + id + " is not " + state + " after " + timeoutSeconds + " s");
        }

        private List<Long> lossSteps(AppProcess web, String id) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + web.port()
                    + "/api/runs/" + id + "/loss.csv")).build(), HttpResponse.BodyHandlers.ofString());
            List<Long> out = new ArrayList<>();
            r.body().lines().skip(1).filter(l -> !l.isBlank()).forEach(l -> out.add(Long.parseLong(l.split(",")[0])));
            return out;
        }

        private JsonNode get(AppProcess web, String path) throws Exception {
            return send(web, "GET", path, null);
        }

        private JsonNode send(AppProcess web, String method, String path, String body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + web.port() + path))
                    .header("X-Requested-With", "bench-scale").header("Authorization", "Bearer " + ADMIN)
                    .timeout(Duration.ofSeconds(30));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 400) {
                throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
            }
            return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        }

        private void verdict(String what, boolean ok, String target) {
            allOk &= ok;
            System.out.printf(Locale.ROOT, "%s  [target %s: %s]%n", what, target, ok ? "ok" : "MISSED");
        }
    }

    /** Steps every / 2 every ... last, each once: the run's loss curve has a point every steps / 2000. */
    static boolean everyStepOnce(List<Long> seen, long totalSteps) {
        long every = Math.max(1, (totalSteps + 1999) / 2000);
        if (seen.size() != totalSteps / every) {
            return false;
        }
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i) != every * (i + 1)) {
                return false;
            }
        }
        return true;
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /**
     * One live viewer: the loss steps it was shown (its snapshot's, then each increment's; after a reconnect the
     * new snapshot's points past the last it had, as the page does), and per loss message the delay from the
     * worker's stamp ({@code at}) to its arrival.
     */
    static final class Viewer extends WholeMessages {
        private final CountDownLatch snapshot = new CountDownLatch(1);
        private final List<Long> steps;
        private final List<Long> delays = new ArrayList<>();
        private WebSocket socket;
        volatile boolean recording;

        private Viewer(List<Long> steps) {
            this.steps = steps;
        }

        static Viewer open(HttpClient http, int port, String runId) {
            return connect(http, port, runId, new Viewer(new ArrayList<>()));
        }

        private static Viewer connect(HttpClient http, int port, String runId, Viewer v) {
            v.socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port + "/runs/" + runId
                    + "/live"), v).join();
            return v;
        }

        /** The same viewer on a new socket (its web instance restarted), keeping what it was shown. */
        Viewer reconnect(HttpClient http, int port, String runId) throws InterruptedException {
            socket.abort();
            Viewer next = connect(http, port, runId, new Viewer(steps));
            next.awaitSnapshot();
            next.recording = recording;
            return next;
        }

        void awaitSnapshot() throws InterruptedException {
            if (!snapshot.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no snapshot within 60 s");
            }
        }

        synchronized List<Long> steps() {
            return new ArrayList<>(steps);
        }

        synchronized List<Long> delays() {
            return new ArrayList<>(delays);
        }

        void close() {
            socket.abort();
        }

        @Override
        void message(String text, long arrivedMillis) {
            if (text.startsWith("{\"type\":\"snapshot\"") || text.startsWith("{\"type\":\"loss\"")) {
                handle(text, arrivedMillis);
            }
        }

        private synchronized void handle(String text, long arrived) {
            try {
                JsonNode m = JSON.readTree(text);
                boolean isSnapshot = m.get("type").asText().equals("snapshot");
                JsonNode points = isSnapshot ? m.path("loss").path("steps") : m.path("steps");
                long last = steps.isEmpty() ? 0 : steps.get(steps.size() - 1);
                for (JsonNode s : points) {
                    if (!isSnapshot || s.asLong() > last) {
                        steps.add(s.asLong());
                    }
                }
                if (isSnapshot) {
                    snapshot.countDown();
                } else if (recording && m.hasNonNull("at")) {
                    delays.add(arrived - m.get("at").asLong());
                }
            } catch (java.io.IOException e) {
                // not a message of ours
            }
        }
    }
}
