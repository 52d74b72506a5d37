package diffusionlab.web.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test viewer of the live socket that collects every message (or, if {@code reads} is false, none). */
final class LiveClient implements WebSocket.Listener, AutoCloseable {
    private final ObjectMapper json = new ObjectMapper();
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final boolean reads;
    private final WebSocket socket;

    private LiveClient(URI uri, boolean reads) {
        this.reads = reads;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, this).join();
    }

    /** A viewer that reads every message. */
    static LiveClient open(int port, String runId) {
        return new LiveClient(uri(port, runId), true);
    }

    /** A follower of the class socket {@code /class/live} that reads every message. */
    static LiveClient openClass(int port) {
        return new LiveClient(URI.create("ws://localhost:" + port + "/class/live"), true);
    }

    /** A viewer that never reads: after the upgrade it asks for nothing, so its TCP window fills. */
    static LiveClient stalled(int port, String runId) {
        return new LiveClient(uri(port, runId), false);
    }

    static URI uri(int port, String runId) {
        return URI.create("ws://localhost:" + port + "/runs/" + runId + "/live");
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reads) {
            webSocket.request(1);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(json.readTree(partial.toString()));
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    /** The next message, or null after the timeout. */
    JsonNode next(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads messages until one of the type arrives whose status or content matches; null after the timeout. */
    JsonNode until(String type, java.util.function.Predicate<JsonNode> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode m = next(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            if (m != null && m.get("type").asText().equals(type) && matches.test(m)) {
                return m;
            }
        }
        return null;
    }

    @Override
    public void close() {
        socket.abort();
    }
}
