package diffusionlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The viewers of {@code bench-live}, in a process of their own (so the server's RSS is the server's alone):
 * {@code java -cp <jar> diffusionlab.cli.LiveBenchViewers <port> <viewers> <warm-up run>}. Opens one socket to
 * the warm-up run (so class loading and JIT are done before the timed run starts), prints {@code ready}, then
 * obeys stdin: {@code connect <run id>} connects the viewers and answers {@code connected} once each has its
 * snapshot (from then on every message is recorded); {@code disconnect} aborts them all (no close frame) and
 * answers {@code disconnected}; {@code stop} (or the end of stdin) prints one JSON line of results: per loss message the delay from the server's stamp of its
 * newest point to its arrival, per loss point that delay estimated from the run's steps/s, and the size of
 * each kind of message as sent (UTF-8 bytes of the text frame's payload).
 */
public final class LiveBenchViewers {
    private LiveBenchViewers() {
    }

    /** One viewer: reads everything, parses only loss and status messages (the others it only measures). */
    static final class Viewer extends WholeMessages {
        private final ObjectMapper json;
        final CountDownLatch snapshot = new CountDownLatch(1);
        final List<Long> newestDelays = new ArrayList<>();
        final List<Long> pointDelays = new ArrayList<>();
        final Map<String, long[]> sizes = new LinkedHashMap<>(); // kind -> {count, total, max}
        volatile boolean recording;
        double stepsPerSecond;

        Viewer(ObjectMapper json) {
            this.json = json;
        }

        @Override
        synchronized void message(String text, long arrivedMillis) {
            handle(text, arrivedMillis);
        }

        private void handle(String text, long arrived) {
            String type = typeOf(text);
            if (type.equals("snapshot")) {
                record("snapshot", text);
                snapshot.countDown();
                return;
            }
            if (type.equals("status") || type.equals("loss")) {
                try {
                    JsonNode m = json.readTree(text);
                    if (type.equals("status")) {
                        double rate = m.path("status").path("stepsPerSecond").asDouble(0);
                        stepsPerSecond = rate > 0 ? rate : stepsPerSecond;
                    } else if (recording && m.hasNonNull("at")) {
                        long at = m.get("at").asLong();
                        JsonNode steps = m.get("steps");
                        long newest = steps.get(steps.size() - 1).asLong();
                        newestDelays.add(arrived - at);
                        for (JsonNode s : steps) {
                            double behind = stepsPerSecond > 0 ? (newest - s.asLong()) * 1000.0 / stepsPerSecond : 0;
                            pointDelays.add(Math.round(arrived - at + behind));
                        }
                    }
                } catch (java.io.IOException e) {
                    type = "unreadable";
                }
            }
            if (type.equals("frames")) {
                type = text.contains("\"kind\":\"forward\"") ? "frames-forward" : "frames-reverse";
            }
            if (recording || type.startsWith("frames-forward")) {
                record(type, text);
            }
        }

        private void record(String kind, String text) {
            long bytes = text.getBytes(StandardCharsets.UTF_8).length;
            long[] s = sizes.computeIfAbsent(kind, k -> new long[3]);
            s[0]++;
            s[1] += bytes;
            s[2] = Math.max(s[2], bytes);
        }

        private static String typeOf(String text) {
            int at = text.indexOf("\"type\":\"");
            if (at < 0) {
                return "unknown";
            }
            int start = at + 8;
            int end = text.indexOf('"', start);
            return end < 0 ? "unknown" : text.substring(start, end);
        }
    }

    public static void main(String[] argv) throws Exception {
        int port = Integer.parseInt(argv[0]);
        int n = Integer.parseInt(argv[1]);
        String warmUp = argv[2];
        ObjectMapper json = new ObjectMapper();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "viewer");
            t.setDaemon(true);
            return t;
        });
        HttpClient client = HttpClient.newBuilder().executor(threads).build();
        for (int i = 0; i < 3; i++) {
            Viewer first = new Viewer(json);
            WebSocket socket = client.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port + "/runs/"
                    + warmUp + "/live"), first).join();
            first.snapshot.await(60, TimeUnit.SECONDS);
            socket.abort();
        }
        System.out.println("ready");
        System.out.flush();
        List<Viewer> all = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        List<Viewer> current = new ArrayList<>();
        String line;
        while ((line = stdin.readLine()) != null && !line.strip().equals("stop")) {
            if (line.startsWith("connect ")) {
                URI uri = URI.create("ws://localhost:" + port + "/runs/" + line.substring(8).strip() + "/live");
                current.clear();
                for (int i = 0; i < n; i++) {
                    Viewer viewer = new Viewer(json);
                    current.add(viewer);
                    sockets.add(client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                            .buildAsync(uri, viewer).join());
                }
                for (Viewer viewer : current) {
                    if (!viewer.snapshot.await(60, TimeUnit.SECONDS)) {
                        System.out.println("a viewer got no snapshot in 60 s");
                        System.exit(1);
                    }
                }
                current.forEach(v -> v.recording = true);
                all.addAll(current);
                System.out.println("connected");
            } else if (line.strip().equals("disconnect")) {
                current.forEach(v -> v.recording = false);
                sockets.forEach(WebSocket::abort); // vanish without a close frame, as a closed laptop does
                sockets.clear();
                System.out.println("disconnected");
            }
            System.out.flush();
        }
        all.forEach(v -> v.recording = false);

        List<Long> newest = new ArrayList<>();
        List<Long> points = new ArrayList<>();
        Map<String, long[]> sizes = new LinkedHashMap<>();
        for (Viewer v : all) {
            synchronized (v) {
                newest.addAll(v.newestDelays);
                points.addAll(v.pointDelays);
                v.sizes.forEach((kind, s) -> {
                    long[] total = sizes.computeIfAbsent(kind, k -> new long[3]);
                    total[0] += s[0];
                    total[1] += s[1];
                    total[2] = Math.max(total[2], s[2]);
                });
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("viewers", n);
        result.put("newestDelays", newest);
        result.put("pointDelays", points);
        result.put("sizes", sizes);
        System.out.println(json.writeValueAsString(result));
        System.out.flush();
        sockets.forEach(WebSocket::abort);
        System.exit(0);
    }
}
