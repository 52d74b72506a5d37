package diffusionlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench-abuse [--seconds 60] [--viewers 10] [--procfile Procfile] [--server-jar JAR]}: what one student
 * without credentials
 * can do to the class. Starts the server (this jar, or another build to compare) as the Procfile does (its JVM flags: a 512 MB dyno) on a free port with a
 * fresh DATA_DIR and {@code TRUST_PROXY=1}, so that the victim, its viewers and the attacker are told apart by
 * {@code X-Forwarded-For} as a PaaS router would tell them apart, and with a teacher's key (ADMIN_TOKEN) set. A victim run trains and ten viewers watch it
 * while the attacker, for the given time, sends in parallel: oversized bodies, the heaviest configs, heavy
 * sample requests it abandons after 200 ms, a flood of live sockets and bearer-token guesses. Meanwhile {@code /}
 * is timed every 250 ms and the server's RSS read from /proc. Afterwards the server is killed with SIGKILL and
 * started again on the same data, and every run it listed must come back. Prints each figure beside its target.
 */
public final class AbuseBenchCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VICTIM = "127.0.0.2";
    private static final String ATTACKER = "127.0.0.3";
    private static final String WATCHER = "127.0.0.4";
    private static final String ADMIN_TOKEN = "bench-" + java.util.UUID.randomUUID();

    private AbuseBenchCommand() {
    }

    public static int run(Args args) {
        int seconds = args.takeInt("seconds", 60, 5, 3600);
        int viewers = args.takeInt("viewers", 10, 0, 200);
        String procfile = args.take("procfile", "Procfile");
        String serverJar = args.take("server-jar", null);
        if (!args.remainingAsCamelCase().isEmpty()) {
            throw new UsageException("bench-abuse", "unknown bench-abuse option(s): "
                    + args.remainingAsCamelCase().keySet() + "; it takes --seconds N, --viewers N, --procfile FILE, --server-jar JAR");
        }
        String jar = System.getProperty("java.class.path");
        if (!jar.endsWith(".jar") || jar.contains(java.io.File.pathSeparator)) {
            throw new UsageException("bench-abuse", "run bench-abuse from the jar (java -jar target/diffusion-lab.jar)");
        }
        try {
            return new Bench(seconds, viewers, procfileFlags(Path.of(procfile)), serverJar != null ? serverJar : jar)
                    .run() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("bench-abuse failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The JVM flags of the Procfile's web process: what stands between {@code java} and {@code -jar}. */
    static List<String> procfileFlags(Path procfile) throws IOException {
        for (String line : Files.readAllLines(procfile)) {
            if (line.startsWith("web:")) {
                List<String> words = Arrays.asList(line.substring(4).trim().split("\\s+"));
                int java = words.indexOf("java");
                int jar = words.indexOf("-jar");
                if (java >= 0 && jar > java) {
                    return words.subList(java + 1, jar);
                }
            }
        }
        throw new UsageException("bench-abuse", procfile + " has no 'web: ... java FLAGS -jar ...' line");
    }

    private static final class Bench {
        final int seconds;
        final int viewers;
        final List<String> flags;
        final String jar;
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        final Path dataDir;
        final int port;
        Process server;
        /** Answers to the attacker by attack, then by status code. */
        final Map<String, Map<Integer, AtomicLong>> answers = new ConcurrentHashMap<>();
        /** Refusals (4xx) whose body did not say why in {"error": ...}. */
        final AtomicLong unclear = new AtomicLong();
        final List<String> unclearSamples = new CopyOnWriteArrayList<>();

        Bench(int seconds, int viewers, List<String> flags, String jar) throws IOException {
            this.seconds = seconds;
            this.viewers = viewers;
            this.flags = flags;
            this.jar = jar;
            this.dataDir = Files.createTempDirectory("bench-abuse-data");
            try (ServerSocket free = new ServerSocket(0)) {
                this.port = free.getLocalPort();
            }
        }

        boolean run() throws IOException, InterruptedException {
            System.out.printf(Locale.ROOT, "# diffusion-lab bench-abuse: %d s of attacks, %d viewers, %d cores, "
                    + "server %s with flags %s%n", seconds, viewers, Runtime.getRuntime().availableProcessors(), jar,
                    flags);
            startServer();
            try {
                return attackAndJudge();
            } finally {
                stopServer();
                LiveBenchCommand.deleteQuietly(dataDir);
            }
        }

        private boolean attackAndJudge() throws IOException, InterruptedException {
            String finished = createRun(VICTIM, "{\"name\": \"finished before\", \"steps\": 2000}");
            awaitState(finished, "done", 120);
            String victim = createRun(VICTIM, "{\"name\": \"victim\", \"steps\": 2000000}");
            awaitState(victim, "running", 60);

            List<Long> lossDelays = Collections.synchronizedList(new ArrayList<>());
            List<WebSocket> watching = new ArrayList<>();
            for (int v = 0; v < viewers; v++) {
                watching.add(openSocket(victim, VICTIM, new LossDelays(lossDelays)).join());
            }
            Monitor monitor = new Monitor();
            Thread monitorThread = new Thread(monitor, "bench-abuse-monitor");
            monitorThread.start();

            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            ExecutorService attackers = Executors.newFixedThreadPool(8);
            List<WebSocket> flood = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 3; i++) {
                attackers.submit(() -> repeat(end, () -> oversizedBody()));
            }
            attackers.submit(() -> repeat(end, () -> heaviestConfigs()));
            attackers.submit(() -> repeat(end, () -> abandonedSample(victim)));
            attackers.submit(() -> repeat(end, () -> abandonedSample(finished)));
            attackers.submit(() -> repeat(end, () -> bearerGuess(victim)));
            attackers.submit(() -> socketFlood(end, victim, flood));
            attackers.shutdown();
            attackers.awaitTermination(seconds + 120L, TimeUnit.SECONDS);
            List<Long> delays;
            synchronized (lossDelays) {
                delays = new ArrayList<>(lossDelays); // the victim's loss points during the attack
            }
            monitor.stop();
            monitorThread.join();
            flood.forEach(ws -> ws.abort());
            watching.forEach(ws -> ws.abort());

            JsonNode victimStatus = status(victim);
            String victimState = victimStatus.path("state").asText();
            JsonNode before = listRuns();

            System.out.println("\nanswers to the attacker (status: count):");
            new TreeMap<>(answers).forEach((attack, counts) -> System.out.printf(Locale.ROOT, "  %-22s %s%n", attack,
                    new TreeMap<>(counts)));
            long serverErrors = answers.values().stream().flatMap(m -> m.entrySet().stream())
                    .filter(e -> e.getKey() >= 500).mapToLong(e -> e.getValue().get()).sum();

            killAndRestart();
            JsonNode after = listRuns();
            int lost = 0;
            for (JsonNode run : before) {
                JsonNode back = find(after, run.path("id").asText());
                boolean finishedBefore = run.path("state").asText().equals("done");
                if (back == null || (finishedBefore && !back.path("state").asText().equals("done"))) {
                    lost++;
                    System.out.println("  lost or changed after kill -9: " + run);
                }
            }

            boolean ok = true;
            System.out.println();
            ok &= verdict("victim run failed", victimState.equals("failed") ? 1 : 0, 0,
                    "victim state '" + victimState + "'");
            ok &= verdict("stored runs lost (kill -9 and restart)", lost, 0, before.size() + " runs listed before");
            double p95 = percentile(delays, 0.95);
            ok &= verdict("victim loss point to viewer p95, ms", p95, 500,
                    delays.size() + " points, median " + fmt(percentile(delays, 0.5)) + " ms");
            ok &= verdict("GET / slowest answer, ms", monitor.slowestHome(), 1000,
                    monitor.homeTimes.size() + " requests, median " + fmt(percentile(monitor.homeTimes, 0.5))
                            + " ms, failures " + monitor.homeFailures.get());
            ok &= verdict("GET / failures", monitor.homeFailures.get(), 0, "");
            ok &= verdict("server RSS peak, MB", monitor.peakRssKb.get() / 1024.0, 512, "the dyno's memory");
            ok &= verdict("5xx answers to the attacker", serverErrors, 0, "");
            ok &= verdict("refusals without an {\"error\"} message", unclear.get(), 0, unclearSamples.isEmpty()
                    ? "" : "e.g. " + unclearSamples.get(0));
            System.out.println(ok ? "\nall targets met" : "\nsome targets missed");
            return ok;
        }

        // --- the attacks ----------------------------------------------------------------------------

        /** A points array of 2.6 million empty pairs: about 8 MB of JSON. */
        private void oversizedBody() {
            StringBuilder body = new StringBuilder(8_000_000).append("{\"dataset\": \"points\", \"points\": [");
            for (int i = 0; i < 2_600_000; i++) {
                body.append(i == 0 ? "[]" : ",[]");
            }
            send("oversized body", post("/api/runs", ATTACKER, body.append("]}").toString()));
        }

        private void heaviestConfigs() {
            send("heaviest config", post("/api/runs", ATTACKER,
                    "{\"datasetSize\": 100000, \"hidden\": 512, \"layers\": 6, \"batchSize\": 10000}"));
            send("heavy Langevin config", post("/api/runs", ATTACKER, "{\"objective\": \"dsm\", \"hidden\": 512, "
                    + "\"layers\": 6, \"sampler\": \"langevin\", \"sampleSteps\": 5000, \"steps\": 2000000}"));
        }

        /** The heaviest sample request, written on a raw socket and abandoned after 200 ms. */
        private void abandonedSample(String runId) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /api/runs/" + runId + "/samples.csv?n=10000&sampler=langevin&sampleSteps=5000 HTTP/1.1\r\n"
                        + "Host: 127.0.0.1:" + port + "\r\nX-Forwarded-For: " + ATTACKER + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.setSoTimeout(200);
                InputStream in = socket.getInputStream();
                byte[] head = new byte[64];
                int n = in.read(head);
                if (n > 12) {
                    count("abandoned sample", Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII)));
                }
            } catch (java.net.SocketTimeoutException e) {
                count("abandoned sample", 0); // 0: abandoned before any answer
            } catch (IOException | NumberFormatException e) {
                count("abandoned sample", -1);
            }
            pause(100);
        }

        private void bearerGuess(String runId) {
            HttpRequest guess = HttpRequest.newBuilder(uri("/api/runs/" + runId + "/stop"))
                    .header("X-Forwarded-For", ATTACKER).header("X-Requested-With", "bench")
                    .header("Authorization", "Bearer guess-" + System.nanoTime())
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
            send("bearer guess", guess);
        }

        private void socketFlood(long end, String runId, List<WebSocket> flood) {
            for (int i = 0; i < 1000 && System.nanoTime() < end; i++) {
                try {
                    flood.add(openSocket(runId, ATTACKER, new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS));
                    count("socket flood", 101);
                } catch (Exception e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    count("socket flood", cause instanceof java.net.http.WebSocketHandshakeException h
                            ? h.getResponse().statusCode() : -1);
                }
            }
        }

        // --- plumbing -------------------------------------------------------------------------------

        private void repeat(long end, Runnable attack) {
            while (System.nanoTime() < end) {
                attack.run();
            }
        }

        private void send(String attack, HttpRequest request) {
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                count(attack, r.statusCode());
                if (r.statusCode() >= 400 && r.statusCode() < 500 && !hasErrorMessage(r.body())) {
                    unclear.incrementAndGet();
                    if (unclearSamples.size() < 3) {
                        unclearSamples.add(attack + " " + r.statusCode() + ": " + abbreviate(r.body()));
                    }
                }
            } catch (IOException e) {
                count(attack, -1); // the connection failed: counted apart from the answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static boolean hasErrorMessage(String body) {
            try {
                return !JSON.readTree(body).path("error").asText("").isBlank();
            } catch (IOException e) {
                return false;
            }
        }

        private void count(String attack, int status) {
            answers.computeIfAbsent(attack, a -> new ConcurrentHashMap<>())
                    .computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        }

        private HttpRequest post(String path, String client, String json) {
            return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .header("X-Requested-With", "bench").header("X-Forwarded-For", client)
                    .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(60)).build();
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        private java.util.concurrent.CompletableFuture<WebSocket> openSocket(String runId, String client,
                                                                             WebSocket.Listener listener) {
            return http.newWebSocketBuilder().header("X-Forwarded-For", client).connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/runs/" + runId + "/live"), listener);
        }

        private String createRun(String client, String json) throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(post("/api/runs", client, json), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IOException("could not create a run (" + r.statusCode() + "): " + r.body());
            }
            return JSON.readTree(r.body()).path("id").asText();
        }

        private JsonNode status(String id) throws IOException, InterruptedException {
            HttpRequest get = HttpRequest.newBuilder(uri("/api/runs/" + id)).header("X-Forwarded-For", WATCHER)
                    .timeout(Duration.ofSeconds(10)).build();
            return JSON.readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body()).path("status");
        }

        private void awaitState(String id, String state, int timeoutSeconds) throws IOException, InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (!status(id).path("state").asText().equals(state)) {
                if (System.nanoTime() > end) {
                    throw new IOException("run " + id + " did not reach '" + state + "' in " + timeoutSeconds + " s");
                }
                Thread.sleep(100);
            }
        }

        private JsonNode listRuns() throws IOException, InterruptedException {
            HttpRequest get = HttpRequest.newBuilder(uri("/api/runs")).header("X-Forwarded-For", WATCHER)
                    .timeout(Duration.ofSeconds(10)).build();
            JsonNode body = JSON.readTree(http.send(get, HttpResponse.BodyHandlers.ofString()).body());
            return body.isArray() ? body : body.path("runs");
        }

        private static JsonNode find(JsonNode runs, String id) {
            for (JsonNode run : runs) {
                if (run.path("id").asText().equals(id)) {
                    return run;
                }
            }
            return null;
        }

        private void startServer() throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(LiveBenchCommand.javaExecutable());
            command.addAll(flags);
            command.addAll(List.of("-jar", jar, "serve"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("server.log").toFile());
            builder.environment().put("PORT", String.valueOf(port));
            builder.environment().put("DATA_DIR", dataDir.toString());
            builder.environment().put("TRUST_PROXY", "1");
            builder.environment().put("ADMIN_TOKEN", ADMIN_TOKEN); // the bearer guesses guess at a real key
            builder.environment().put("OMP_NUM_THREADS", "1");
            builder.environment().remove("DATABASE_URL");
            server = builder.start();
            long start = System.nanoTime();
            HttpRequest home = HttpRequest.newBuilder(uri("/")).timeout(Duration.ofSeconds(5)).build();
            while (true) {
                try {
                    if (http.send(home, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (!server.isAlive() || System.nanoTime() - start > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IOException("the server did not start; see " + dataDir.resolve("server.log"));
                }
                Thread.sleep(50);
            }
        }

        private void killAndRestart() throws IOException, InterruptedException {
            server.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
            server.waitFor(30, TimeUnit.SECONDS);
            System.out.println("\nserver killed with SIGKILL; starting it again on the same data");
            startServer();
        }

        private void stopServer() throws InterruptedException {
            if (server != null) {
                server.destroy();
                if (!server.waitFor(20, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }

        /** Times {@code GET /} every 250 ms and reads the server's RSS; collects the victim's loss delays. */
        private final class Monitor implements Runnable {
            volatile boolean running = true;
            final List<Long> homeTimes = Collections.synchronizedList(new ArrayList<>());
            final AtomicLong homeFailures = new AtomicLong();
            final AtomicLong peakRssKb = new AtomicLong();

            void stop() {
                running = false;
            }

            long slowestHome() {
                synchronized (homeTimes) {
                    return homeTimes.stream().mapToLong(Long::longValue).max().orElse(0);
                }
            }

            @Override
            public void run() {
                HttpRequest home = HttpRequest.newBuilder(uri("/")).header("X-Forwarded-For", WATCHER)
                        .timeout(Duration.ofSeconds(10)).build();
                while (running) {
                    long start = System.nanoTime();
                    try {
                        int code = http.send(home, HttpResponse.BodyHandlers.discarding()).statusCode();
                        homeTimes.add((System.nanoTime() - start) / 1_000_000);
                        if (code != 200) {
                            homeFailures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        homeFailures.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                    peakRssKb.accumulateAndGet(LiveBenchCommand.statusKb(String.valueOf(server.pid()), "VmRSS"), Math::max);
                    pause(250);
                }
            }
        }

        /** A viewer of the victim: how late each loss message arrives after its step (the server stamps it). */
        private final class LossDelays extends WholeMessages {
            private final List<Long> delays;

            LossDelays(List<Long> delays) {
                this.delays = delays;
            }

            @Override
            void message(String text, long arrivedMillis) {
                if (text.startsWith("{\"type\":\"loss\"")) {
                    try {
                        long at = JSON.readTree(text).path("at").asLong(0);
                        if (at > 0) {
                            delays.add(arrivedMillis - at);
                        }
                    } catch (IOException e) {
                        // not a message we measure
                    }
                }
            }
        }
    }

    static double percentile(List<Long> values, double q) {
        List<Long> sorted;
        synchronized (values) {
            sorted = values.stream().sorted().toList();
        }
        return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    private static boolean verdict(String what, double value, double limit, String note) {
        boolean met = value <= limit;
        System.out.printf(Locale.ROOT, "%-44s %10s   target <= %-6s %s  %s%n", what, fmt(value), fmt(limit),
                met ? "met" : "MISSED", note);
        return met;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
