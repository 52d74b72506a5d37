package diffusionlab.web.live;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Four runs training, and three waves of 50 viewers each (half reading, half never reading) that connect,
 * take their snapshot, and then vanish without a close frame. Training goes on; the server forgets every
 * viewer; its threads, heap and RSS come back to where they were, and the heap does not grow from wave to wave.
 */
@Tag("slow")
class LiveLoadTest {
    private static final int RUNS = 4;
    private static final int VIEWERS = 50;
    private static final int WAVES = Integer.getInteger("load.waves", 3);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int JETTY_MAX_THREADS = 250; // Javalin's default pool

    /** A viewer that counts what it is sent; a stalled one asks for nothing after the upgrade. */
    private static final class Viewer implements WebSocket.Listener {
        final boolean reads;
        final CountDownLatch firstMessage = new CountDownLatch(1);
        volatile int messages;

        Viewer(boolean reads) {
            this.reads = reads;
        }

        @Override
        public void onOpen(WebSocket socket) {
            socket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            if (last) {
                messages++;
                firstMessage.countDown();
            }
            if (reads || messages == 0) {
                socket.request(1); // a stalled viewer reads its snapshot, then nothing
            }
            return null;
        }
    }

    @Test
    void viewersThatDropAbruptlyLeaveNothingBehindAndTrainingGoesOn() throws Exception {
        ExecutorService clientThreads = Executors.newFixedThreadPool(2);
        HttpClient client = HttpClient.newBuilder().executor(clientThreads).build();
        try (TestServer server = TestServer.start(RUNS, RUNS + 2)) {
            List<String> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                runs.add(server.createRun(TINY.replace("\"steps\": 300", "\"steps\": 2000000")
                        .replace("\"tiny\"", "\"load " + i + "\"")));
            }
            for (String id : runs) {
                server.awaitState(id, WAIT, "running");
            }
            wave(server, client, runs, 4); // warm up: classes loaded, pools at their working size
            settle(server);
            int baselineThreads = threads();
            long baselineHeap = usedHeapAfterGc();
            long baselineRss = rssKb();
            long[] stepsBefore = steps(server, runs);

            int[] threadsAfter = new int[WAVES];
            long[] heapAfter = new long[WAVES];
            long[] rssAfter = new long[WAVES];
            long[] nativeAfter = new long[WAVES]; // RSS less the committed heap, which the collector sizes as it likes
            long[] jvmNonHeap = new long[WAVES]; // code cache, metaspace: the JIT and class loading, not the app
            long[] direct = new long[WAVES]; // NIO buffers (Jetty's)
            for (int w = 0; w < WAVES; w++) {
                wave(server, client, runs, VIEWERS);
                settle(server);
                threadsAfter[w] = threads();
                heapAfter[w] = usedHeapAfterGc();
                rssAfter[w] = rssKb();
                nativeAfter[w] = rssAfter[w] - (Runtime.getRuntime().totalMemory() >> 10);
                jvmNonHeap[w] = java.lang.management.ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage()
                        .getCommitted() >> 10;
                direct[w] = java.lang.management.ManagementFactory.getPlatformMXBeans(
                        java.lang.management.BufferPoolMXBean.class).stream().mapToLong(b -> b.getMemoryUsed()).sum() >> 10;
            }
            long[] stepsAfter = steps(server, runs);

            System.out.printf("load: threads at work %d -> %s; heap used %d MB -> %s MB; RSS %d MB -> %s MB, of which "
                            + "outside the heap %s MB; JVM non-heap committed %s MB; NIO buffers %s kB%n", baselineThreads,
                    java.util.Arrays.toString(threadsAfter), baselineHeap >> 20,
                    java.util.Arrays.toString(java.util.Arrays.stream(heapAfter).map(h -> h >> 20).toArray()),
                    baselineRss >> 10,
                    java.util.Arrays.toString(java.util.Arrays.stream(rssAfter).map(r -> r >> 10).toArray()),
                    java.util.Arrays.toString(java.util.Arrays.stream(nativeAfter).map(r -> r >> 10).toArray()),
                    java.util.Arrays.toString(java.util.Arrays.stream(jvmNonHeap).map(r -> r >> 10).toArray()),
                    java.util.Arrays.toString(direct));
            for (int i = 0; i < RUNS; i++) {
                assertTrue(stepsAfter[i] > stepsBefore[i], "run " + i + " went on training: " + stepsBefore[i]
                        + " -> " + stepsAfter[i]);
                assertEquals("running", server.registry.get(runs.get(i)).orElseThrow().state().id());
            }
            assertTrue(threadsAfter[WAVES - 1] <= baselineThreads + 2, "threads at work: " + baselineThreads + " before, "
                    + threadsAfter[WAVES - 1] + " after " + WAVES * VIEWERS + " viewers: " + threadNames());
            assertTrue(idleJettyThreads() <= JETTY_MAX_THREADS, "Jetty's pool stays within its bound");
            // a leak grows with every wave, while what the test JVM's other work leaves about comes and goes:
            // judge the lowest of the later waves
            long heapLowest = java.util.Arrays.stream(heapAfter).skip(1).min().orElse(heapAfter[0]);
            assertTrue(heapLowest <= baselineHeap + (64L << 20), "heap after GC: " + (baselineHeap >> 20)
                    + " MB before, " + java.util.Arrays.toString(heapAfter) + " bytes after the waves");
            assertTrue(heapLowest <= heapAfter[0] + (32L << 20), "heap does not grow from wave to wave");
            // RSS less the committed heap can even be negative (committed pages not yet touched), so it is only
            // printed; the RSS itself must come back to its baseline, give or take what the collector keeps
            long rssLowest = java.util.Arrays.stream(rssAfter).skip(1).min().orElse(rssAfter[0]);
            assertTrue(rssLowest <= baselineRss + 96 * 1024L, "RSS returns to its baseline: " + (baselineRss >> 10)
                    + " MB before, " + java.util.Arrays.toString(rssAfter) + " kB after the waves");
        } finally {
            clientThreads.shutdownNow();
        }
    }

    /** n viewers spread over the runs: each gets its snapshot, then all are aborted (no close frame). */
    private static void wave(TestServer server, HttpClient client, List<String> runs, int n) throws Exception {
        List<Viewer> viewers = new ArrayList<>();
        List<CompletableFuture<WebSocket>> sockets = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            Viewer viewer = new Viewer(v % 2 == 0);
            viewers.add(viewer);
            sockets.add(client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create("ws://localhost:" + server.web.port() + "/runs/" + runs.get(v % runs.size())
                            + "/live"), viewer));
        }
        for (Viewer viewer : viewers) {
            assertTrue(viewer.firstMessage.await(WAIT.toSeconds(), TimeUnit.SECONDS), "every viewer gets its snapshot");
        }
        assertEquals(n, server.web.live().viewerCount(), "all connected");
        Thread.sleep(1500); // long enough for the readers to get increments and the stalled ones to fill up
        for (CompletableFuture<WebSocket> socket : sockets) {
            socket.join().abort();
        }
    }

    /** Waits until the server has forgotten every viewer, then a little longer for pools to go idle. */
    private static void settle(TestServer server) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && (server.web.live().viewerCount() > 0
                || server.registry.list().stream().anyMatch(r -> r.listenerCount() > 0))) {
            Thread.sleep(50);
        }
        assertEquals(0, server.web.live().viewerCount(), "the hub has forgotten every viewer");
        server.registry.list().forEach(r -> assertEquals(0, r.listenerCount(), "run " + r.id() + " has no listeners"));
        Thread.sleep(2000);
    }

    private static long[] steps(TestServer server, List<String> runs) {
        return runs.stream().mapToLong(id -> server.registry.get(id).orElseThrow().status().step()).toArray();
    }

    /**
     * Threads at work or blocked: every thread except Jetty pool threads that are idle in the pool (a burst of
     * connections grows the pool, and Jetty lets an idle thread go only one per idle timeout, 60 s; those are
     * reusable capacity, bounded by the pool's maximum, not a leak).
     */
    private static int threads() {
        return Thread.getAllStackTraces().size() - idleJettyThreads();
    }

    private static int idleJettyThreads() {
        int idle = 0;
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().startsWith("JettyServerThreadPool") && java.util.Arrays.stream(e.getValue())
                    .anyMatch(f -> f.getMethodName().equals("idleJobPoll") || f.getMethodName().equals("reservedWait"))) {
                idle++;
            }
        }
        return idle;
    }

    private static String threadNames() {
        Map<String, Integer> byPrefix = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            byPrefix.merge(t.getName().replaceAll("[-#]?\\d+$", ""), 1, Integer::sum);
        }
        return byPrefix.toString();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
