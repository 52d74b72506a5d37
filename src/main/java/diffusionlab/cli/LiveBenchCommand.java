package diffusionlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.Run;
import diffusionlab.training.RunRegistry;
import diffusionlab.web.WebApp;
import diffusionlab.web.WebSettings;
import diffusionlab.web.security.FairShares;
import diffusionlab.web.live.LiveHub;
import diffusionlab.web.security.CsrfGuard;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * {@code bench-live [--viewers 30] [--steps 40000] [--preset default] [--runs 2] [--ready-trials 3] [--nice 0]}:
 * the dashboard's figures. Starts the web app in this process on a free port, and through the API identical
 * runs in turn (the preset, N steps); each is timed alone over one half of its steps and watched by the viewers
 * (java.net.http WebSocket clients in a child process, so this process's RSS is the server's) over the other,
 * the order alternating from run to run, so that a neighbour's load on a shared machine falls on both sides of
 * each comparison; the ratio is the geometric mean of the runs' watched/alone ratios. While watched:
 * the delay of loss points from their step to a viewer (the server stamps loss messages, docs/PROTOCOL.md),
 * the size of each kind of message on the wire, the per-viewer backlog (outbox) and this process's RSS.
 * Finally, with everything stopped, how long a fresh {@code java -jar} takes to answer {@code GET /} with 200.
 */
public final class LiveBenchCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveBenchCommand() {
    }

    public static int run(Args args) {
        int viewers = args.takeInt("viewers", 30, 0, 1000);
        int steps = args.takeInt("steps", 40_000, 1000, 2_000_000);
        String preset = args.take("preset", "default");
        int readyTrials = args.takeInt("ready-trials", 3, 0, 20);
        int nice = args.takeInt("nice", 0, 0, 19);
        int runs = args.takeInt("runs", 2, 1, 20);
        if (!args.remainingAsCamelCase().isEmpty()) {
            throw new UsageException("bench-live", "unknown bench-live option(s): " + args.remainingAsCamelCase().keySet()
                    + "; it takes --viewers N, --steps N, --preset ID, --runs N, --ready-trials N, --nice N");
        }
        try {
            new LiveBenchCommand.Bench(viewers, steps, preset, readyTrials, nice, runs).run();
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("bench-live failed: " + e);
            e.printStackTrace();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static final class Bench {
        final int viewers;
        final int steps;
        final String preset;
        final int readyTrials;
        final int nice;
        final int runs;
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

        Bench(int viewers, int steps, String preset, int readyTrials, int nice, int runs) {
            this.runs = runs;
            this.viewers = viewers;
            this.steps = steps;
            this.preset = preset;
            this.readyTrials = readyTrials;
            this.nice = nice;
        }

        void run() throws IOException, InterruptedException {
            System.out.printf(Locale.ROOT, "# diffusion-lab bench-live: %d cores, java %s, JVM flags %s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    String.join(" ", jvmFlags()));
            long rssBefore = rssKb("VmRSS");
            RunRegistry registry = new RunRegistry(1);
            // every viewer comes from this one address
            WebApp web = new WebApp(registry, 4, WebSettings.defaults().withShares(FairShares.UNLIMITED)).start(0);
            try {
                measureLive(registry, web, rssBefore);
            } finally {
                web.close();
                registry.close();
            }
            if (readyTrials > 0) {
                measureTimeToReady();
            }
        }

        private void measureLive(RunRegistry registry, WebApp web, long rssBefore) throws IOException, InterruptedException {
            long rssIdle = rssKb("VmRSS");
            Run warmUp = startRun(web, registry, "bench-live warm-up");
            var e = warmUp.config().experiment();
            System.out.printf(Locale.ROOT, "run: preset %s, %s on %s, %dx%d, batch %d, %,d steps; %d runs in turn, each "
                            + "timed alone over one half of its steps and watched by %d viewer(s) (a child process, "
                            + "nice %d) over the other, alternating which half comes first%n", preset, e.objective().id(),
                    e.dataset().id(), e.hidden(), e.layers(), e.batchSize(), steps, runs, viewers, nice);
            window(warmUp, s -> s >= 0, s -> s >= steps / 10, null); // the JIT's warm-up, untimed
            warmUp.stop();
            awaitEnd(warmUp);

            Viewers child = viewers > 0 ? new Viewers(startViewers(web.port(), warmUp.id())) : null;
            if (child != null) {
                child.expect("ready");
            }
            Sampler alone = new Sampler(web.live());
            Sampler watched = new Sampler(web.live());
            List<Window> aloneWindows = new ArrayList<>();
            List<Window> watchedWindows = new ArrayList<>();
            long childStart = System.nanoTime();
            double childCpuStart = child == null ? 0 : cpuSeconds(child.process.pid());
            for (int k = 0; k < runs; k++) {
                Run run = startRun(web, registry, "bench-live " + (k + 1));
                boolean watchedFirst = k % 2 == 1;
                if (watchedFirst && child != null) {
                    child.send("connect " + run.id(), "connected");
                }
                Window first = window(run, s -> s >= steps / 20, s -> s >= steps * 45L / 100,
                        watchedFirst ? watched : alone);
                if (child != null) {
                    child.send(watchedFirst ? "disconnect" : "connect " + run.id(),
                            watchedFirst ? "disconnected" : "connected");
                }
                long switchedAt = run.status().step();
                Window second = window(run, s -> s >= Math.max(steps * 55L / 100, switchedAt + 1),
                        s -> s >= steps * 95L / 100, watchedFirst ? alone : watched);
                if (!watchedFirst && child != null) {
                    child.send("disconnect", "disconnected");
                }
                awaitEnd(run);
                Window a = watchedFirst ? second : first;
                Window w = watchedFirst ? first : second;
                aloneWindows.add(a);
                watchedWindows.add(w);
                System.out.printf(Locale.ROOT, "  run %d: alone %5.0f steps/s (%s), watched %5.0f steps/s (%s): ratio %.3f%n",
                        k + 1, a.rate(), a.cpu(), w.rate(), w.cpu(), w.rate() / a.rate());
            }
            JsonNode result = null;
            double childCpu = 0;
            double childSeconds = (System.nanoTime() - childStart) / 1e9;
            if (child != null) {
                childCpu = cpuSeconds(child.process.pid()) - childCpuStart;
                result = child.stop();
            }

            double logSum = 0;
            for (int k = 0; k < runs; k++) {
                logSum += Math.log(watchedWindows.get(k).rate() / aloneWindows.get(k).rate());
            }
            double ratio = Math.exp(logSum / runs);
            System.out.printf(Locale.ROOT, "%nsteps/s alone                       %8.0f   (all alone halves pooled)%n",
                    pooled(aloneWindows));
            System.out.printf(Locale.ROOT, "steps/s watched by %3d viewers      %8.0f   (all watched halves pooled)%n",
                    viewers, pooled(watchedWindows));
            System.out.printf(Locale.ROOT, "  ratio, watched to alone           %8.3f   (geometric mean over the runs)   "
                    + "target >= 0.90  %s%n", ratio, verdict(ratio >= 0.90));
            if (result != null) {
                List<Long> newest = longs(result.get("newestDelays"));
                List<Long> points = longs(result.get("pointDelays"));
                System.out.printf(Locale.ROOT, "%nloss message -> viewer (server stamp of its newest point to arrival), "
                        + "%,d messages:%n  p50 %d ms, p95 %d ms, p99 %d ms, max %d ms%n", newest.size(), pct(newest, 50),
                        pct(newest, 95), pct(newest, 99), pct(newest, 100));
                System.out.printf(Locale.ROOT, "loss point -> viewer, from the point's own step (estimated with the run's "
                        + "steps/s; points are sent in batches every 200 ms), %,d points:%n  p50 %d ms, p95 %d ms, "
                        + "p99 %d ms, max %d ms   target p95 <= 250 ms  %s%n", points.size(), pct(points, 50),
                        pct(points, 95), pct(points, 99), pct(points, 100),
                        verdict(!points.isEmpty() && pct(points, 95) <= 250));
                System.out.printf(Locale.ROOT, "%nmessage sizes on the wire (UTF-8 payload of one text frame):%n"
                        + "  %-16s %7s  %9s  %9s%n", "type", "count", "mean B", "max B");
                Iterator<Map.Entry<String, JsonNode>> kinds = result.get("sizes").fields();
                long samplesMax = -1;
                while (kinds.hasNext()) {
                    Map.Entry<String, JsonNode> k = kinds.next();
                    long count = k.getValue().get(0).asLong();
                    long total = k.getValue().get(1).asLong();
                    long max = k.getValue().get(2).asLong();
                    System.out.printf(Locale.ROOT, "  %-16s %7d  %9.0f  %9d%n", k.getKey(), count,
                            count == 0 ? 0.0 : (double) total / count, max);
                    if (k.getKey().equals("samples")) {
                        samplesMax = max;
                    }
                }
                if (samplesMax >= 0) {
                    System.out.printf(Locale.ROOT, "  one 2,000-point cloud (a samples message): %,d bytes   target < 20 KB  %s%n",
                            samplesMax, verdict(samplesMax < 20_000));
                }
                System.out.printf(Locale.ROOT, "viewer process: %.1f s of CPU in %.1f s (on the same %d cores; real "
                        + "browsers are elsewhere)%n", childCpu, childSeconds, Runtime.getRuntime().availableProcessors());
            }
            System.out.printf(Locale.ROOT, "%noutbox per viewer (sampled every 50 ms while watched, %d samples): at most %d "
                            + "loss/metric points and %d messages waiting, %d in flight (bounds: %,d points, 6 messages, 1)%n"
                            + "  messages sent %,d; pictures replaced by newer ones before sending %,d   %s%n", watched.samples,
                    watched.maxPoints, watched.maxMessages, watched.maxInFlight, 20_000, watched.sent, watched.dropped,
                    verdict(watched.maxPoints <= 20_000 && watched.maxMessages <= 6 && watched.maxInFlight <= 1));
            long peak = rssKb("VmHWM");
            System.out.printf(Locale.ROOT, "%nserver RSS (this process): %d MB before the server, %d MB serving, max %d MB "
                            + "training alone, max %d MB training with %d viewers; peak (VmHWM) %d MB   target < 450 MB  %s%n",
                    rssBefore >> 10, rssIdle >> 10, alone.maxRssKb >> 10, watched.maxRssKb >> 10, viewers, peak >> 10,
                    verdict(peak < 450 * 1024));
        }

        private static double pooled(List<Window> windows) {
            double stepsDone = 0;
            double seconds = 0;
            for (Window w : windows) {
                stepsDone += w.toStep - w.fromStep;
                seconds += w.seconds();
            }
            return stepsDone / seconds;
        }

        private Run startRun(WebApp web, RunRegistry registry, String name) throws IOException, InterruptedException {
            String body = "{\"preset\": \"" + preset + "\", \"steps\": " + steps + ", \"name\": \"" + name + "\"}";
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + web.port()
                            + "/api/runs")).header("Content-Type", "application/json").header(CsrfGuard.HEADER, "bench")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                throw new IOException("could not start the run: " + created.statusCode() + " " + created.body());
            }
            return registry.get(JSON.readTree(created.body()).get("id").asText()).orElseThrow();
        }

        private static void awaitEnd(Run run) throws InterruptedException {
            while (!run.state().isTerminal()) {
                Thread.sleep(20);
            }
        }

        /** Steps/s between the first moment {@code from} holds and the first moment {@code to} holds. */
        private Window window(Run run, LongPredicate from, LongPredicate to, Sampler sampler) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            Window w = new Window();
            int polls = 0;
            while (System.nanoTime() < deadline) {
                long step = run.status().step();
                if (run.state().isTerminal()) {
                    throw new IllegalStateException("the run ended (" + run.state().id() + ") before the window closed");
                }
                if (w.fromNanos == 0 && from.test(step)) {
                    w.fromNanos = System.nanoTime();
                    w.fromStep = step;
                    w.cpuFrom = cpuByGroup();
                }
                if (w.fromNanos != 0 && to.test(step)) {
                    w.toNanos = System.nanoTime();
                    w.toStep = step;
                    w.cpuTo = cpuByGroup();
                    return w;
                }
                if (sampler != null && w.fromNanos != 0 && ++polls % 5 == 0) {
                    sampler.sample();
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("the run did not get through its steps in 30 minutes");
        }

        private Process startViewers(int port, String warmUpRun) throws IOException {
            List<String> command = new ArrayList<>();
            if (nice > 0 && new File("/usr/bin/nice").canExecute()) {
                command.addAll(List.of("/usr/bin/nice", "-n", String.valueOf(nice)));
            }
            command.addAll(List.of(javaExecutable(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), LiveBenchViewers.class.getName(),
                    String.valueOf(port), String.valueOf(viewers), warmUpRun));
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().remove("DIFFUSIONLAB_CHILD");
            return builder.start();
        }

        /** Spawns the jar as a fresh server and times until GET / answers 200; a few trials, each killed after. */
        private void measureTimeToReady() throws IOException, InterruptedException {
            String classPath = System.getProperty("java.class.path");
            if (!classPath.endsWith(".jar") || classPath.contains(File.pathSeparator)) {
                System.out.println("\ntime to ready: skipped (run bench-live from the jar to measure a java -jar start)");
                return;
            }
            List<String> flags = jvmFlags();
            List<List<String>> commands = List.of(
                    List.of(javaExecutable(), "-jar", classPath, "serve"),
                    concat(concat(List.of(javaExecutable()), flags), List.of("-jar", classPath, "serve")));
            List<String> labels = List.of("java -jar (which restarts itself with its JVM flags)",
                    "java <this JVM's flags> -jar (no restart, as the Procfile)");
            System.out.println();
            for (int c = 0; c < commands.size(); c++) {
                List<Double> times = new ArrayList<>();
                for (int t = 0; t < readyTrials; t++) {
                    times.add(timeToReady(commands.get(c)));
                }
                List<Double> sorted = times.stream().sorted().toList();
                double median = sorted.get(sorted.size() / 2);
                System.out.printf(Locale.ROOT, "time to ready, %s:%n  %s s, median %.2f s   target < 3 s  %s%n",
                        labels.get(c), times.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList(), median,
                        verdict(median < 3));
            }
        }

        private double timeToReady(List<String> command) throws IOException, InterruptedException {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path dataDir = Files.createTempDirectory("bench-live-data");
            List<String> withPort = concat(command, List.of("--port", String.valueOf(port)));
            ProcessBuilder builder = new ProcessBuilder(withPort).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().remove("DIFFUSIONLAB_CHILD");
            builder.environment().remove("PORT");
            builder.environment().put("DATA_DIR", dataDir.toString());
            long start = System.nanoTime();
            Process process = builder.start();
            try {
                HttpRequest home = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                        .timeout(Duration.ofSeconds(5)).build();
                while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
                    try {
                        if (http.send(home, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                            return (System.nanoTime() - start) / 1e9;
                        }
                    } catch (IOException e) {
                        // not listening yet
                    }
                    if (!process.isAlive()) {
                        throw new IOException("the server exited with " + process.exitValue() + " before it was ready");
                    }
                    Thread.sleep(20);
                }
                throw new IOException("the server was not ready after 60 s");
            } finally {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
                deleteQuietly(dataDir);
            }
        }
    }

    /** The child process of viewers, driven line by line (see {@link LiveBenchViewers}). */
    private static final class Viewers {
        final Process process;
        final BufferedReader out;

        Viewers(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        void expect(String line) throws IOException {
            String got = out.readLine();
            if (!line.equals(got)) {
                process.destroyForcibly();
                throw new IOException("the viewers' process said '" + got + "', not '" + line + "'");
            }
        }

        void send(String command, String answer) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            expect(answer);
        }

        JsonNode stop() throws IOException, InterruptedException {
            OutputStream in = process.getOutputStream();
            in.write("stop\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            String line = out.readLine();
            process.waitFor(30, TimeUnit.SECONDS);
            process.destroyForcibly();
            return line == null ? null : JSON.readTree(line);
        }
    }

    /** A stretch of training: first and last step seen and when, and the CPU each group of threads used. */
    private static final class Window {
        long fromNanos;
        long toNanos;
        long fromStep;
        long toStep;
        Map<String, Long> cpuFrom = Map.of();
        Map<String, Long> cpuTo = Map.of();

        /** "training 98%, pictures 12%, web 3%" of one core over the window. */
        String cpu() {
            StringBuilder sb = new StringBuilder();
            for (String group : List.of("training", "pictures", "web")) {
                long used = cpuTo.getOrDefault(group, 0L) - cpuFrom.getOrDefault(group, 0L);
                sb.append(sb.length() == 0 ? "" : ", ").append(group).append(' ')
                        .append(Math.round(100.0 * used / (toNanos - fromNanos))).append('%');
            }
            return sb.append(" of a core").toString();
        }

        double seconds() {
            return (toNanos - fromNanos) / 1e9;
        }

        double rate() {
            return (toStep - fromStep) / seconds();
        }
    }

    /** The live hub's backlog and this process's RSS, sampled while the viewers watch. */
    private static final class Sampler {
        final LiveHub live;
        int samples;
        int maxPoints;
        int maxMessages;
        int maxInFlight;
        long sent;
        long dropped;
        long maxRssKb;

        Sampler(LiveHub live) {
            this.live = live;
        }

        void sample() {
            LiveHub.Backlog b = live.backlog();
            samples++;
            maxPoints = Math.max(maxPoints, b.maxPendingPoints());
            maxMessages = Math.max(maxMessages, b.maxPendingMessages());
            maxInFlight = Math.max(maxInFlight, b.maxInFlight());
            sent = Math.max(sent, b.sent());
            dropped = Math.max(dropped, b.droppedPictures());
            maxRssKb = Math.max(maxRssKb, rssKb("VmRSS"));
        }
    }

    /**
     * CPU time so far of this process's threads by role: training (run-worker), pictures (run-visuals), web
     * (Jetty's pool, the live senders and pings, the on-demand sampler).
     */
    static Map<String, Long> cpuByGroup() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new java.util.HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            String group = name.startsWith("run-worker") ? "training" : name.startsWith("run-visuals") ? "pictures"
                    : name.startsWith("JettyServerThreadPool") || name.startsWith("live-sender")
                    || name.startsWith("JavalinWebSocketPing") || name.startsWith("on-demand-sampler") ? "web" : null;
            long cpu = group == null ? -1 : mx.getThreadCpuTime(t.getId());
            if (cpu > 0) {
                groups.merge(group, cpu, Long::sum);
            }
        }
        return groups;
    }

    static long rssKb(String field) {
        return statusKb("self", field);
    }

    /** A memory field of a process's /proc status ("self" or a pid), in kB; -1 when unknown. */
    static long statusKb(String process, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    /** User + system CPU seconds of a process so far, from /proc (-1 when unknown). */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (100/s)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static List<String> jvmFlags() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asLong()));
        values.sort(null);
        return values;
    }

    /** The p-th percentile (nearest rank) of sorted values; 100 is the max. */
    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static String verdict(boolean ok) {
        return ok ? "PASS" : "FAIL";
    }

    static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind
        }
    }
}
