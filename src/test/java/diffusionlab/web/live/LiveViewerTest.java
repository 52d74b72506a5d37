package diffusionlab.web.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.PictureKind;
import diffusionlab.training.RunConfig;
import diffusionlab.training.RunEvent;
import diffusionlab.training.RunSnapshot;
import diffusionlab.training.RunState;
import diffusionlab.training.RunStatus;
import diffusionlab.web.json.Json;
import diffusionlab.web.wire.WireFormat;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.RemoteEndpoint;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The viewer against a Jetty session whose writes complete only when the test says so. */
class LiveViewerTest {
    private final ExecutorService sender = Executors.newFixedThreadPool(2);
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() {
        sender.shutdownNow();
    }

    /** A socket that records what is sent and completes a write only on {@link #complete()}. */
    static final class SlowSocket {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<WriteCallback> pending = new CopyOnWriteArrayList<>();

        Session session() {
            RemoteEndpoint remote = (RemoteEndpoint) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RemoteEndpoint.class}, (proxy, method, args) -> {
                        if (method.getName().equals("sendString") && args.length == 2) {
                            sent.add((String) args[0]);
                            pending.add((WriteCallback) args[1]);
                        }
                        return null;
                    });
            return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                    (proxy, method, args) -> method.getName().equals("getRemote") ? remote : null);
        }

        void complete() {
            WriteCallback callback = pending.remove(0);
            callback.writeSuccess();
        }
    }

    @Test
    void aViewerWhoseWritesNeverCompleteHoldsOneMessageAndOnlyTheNewestPictures() throws Exception {
        SlowSocket socket = new SlowSocket();
        LiveViewer viewer = new LiveViewer(socket.session(), new WireFormat(Json.mapper()), sender);
        viewer.start(snapshot());
        awaitSent(socket, 1);

        // the run's thread only hands events over: with the socket stuck, a call that waited would never return
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            for (int i = 1; i <= 200; i++) {
                viewer.onEvent(frames(PictureKind.REVERSE, i));
                viewer.onEvent(new RunEvent.LossPoints(new long[] {i}, new float[] {1f / i}));
            }
        });

        pause(100);
        assertEquals(1, socket.sent.size(), "nothing more is sent while the first write is pending");
        assertEquals(199, viewer.dropped(), "older pictures are dropped, the newest kept");

        socket.complete(); // the snapshot is written: the merged loss points follow, then the newest frames
        awaitSent(socket, 2);
        JsonNode loss = json.readTree(socket.sent.get(1));
        assertEquals("loss", loss.get("type").asText());
        assertEquals(200, loss.get("steps").size(), "loss points are merged, none lost");
        socket.complete();
        awaitSent(socket, 3);
        JsonNode frames = json.readTree(socket.sent.get(2));
        assertEquals("frames", frames.get("type").asText());
        assertEquals(200, frames.get("trainingStep").asLong(), "the newest frames");
        socket.complete();
        pause(100);
        assertEquals(3, socket.sent.size(), "and nothing else is waiting");
    }

    @Test
    void aFastViewerGetsEveryIncrementInOrder() throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        RemoteEndpoint remote = (RemoteEndpoint) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.class}, (proxy, method, args) -> {
                    sent.add((String) args[0]);
                    ((WriteCallback) args[1]).writeSuccess(); // written at once, on the caller's stack
                    return null;
                });
        Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> remote);
        LiveViewer viewer = new LiveViewer(session, new WireFormat(Json.mapper()), sender);
        viewer.start(snapshot());

        for (int i = 1; i <= 50; i++) {
            viewer.onEvent(new RunEvent.LossPoints(new long[] {i}, new float[] {i}));
            pause(2);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long last = 0;
        int points = 0;
        while (points < 50 && System.nanoTime() < deadline) {
            pause(20);
            points = 0;
            last = 0;
            for (String text : sent.subList(1, sent.size())) {
                for (JsonNode step : json.readTree(text).get("steps")) {
                    assertTrue(step.asLong() > last);
                    last = step.asLong();
                    points++;
                }
            }
        }
        assertEquals("snapshot", json.readTree(sent.get(0)).get("type").asText());
        assertEquals(50, points);
    }

    @Test
    void viewersOfTheSameRunShareOneEncodingOfEachPicture() throws Exception {
        SharedEncoding shared = new SharedEncoding(new WireFormat(Json.mapper()));
        SlowSocket one = new SlowSocket();
        SlowSocket two = new SlowSocket();
        LiveViewer first = new LiveViewer(one.session(), shared, sender);
        LiveViewer second = new LiveViewer(two.session(), shared, sender);
        first.start(snapshot());
        second.start(snapshot());
        awaitSent(one, 1);
        awaitSent(two, 1);
        one.complete();
        two.complete();

        RunEvent.Frames frames = frames(PictureKind.REVERSE, 7);
        first.onEvent(frames);
        second.onEvent(frames);
        awaitSent(one, 2);
        awaitSent(two, 2);

        assertTrue(one.sent.get(1) == two.sent.get(1), "one text for both viewers, not two encodings");
        assertEquals("frames", json.readTree(one.sent.get(1)).get("type").asText());
        assertEquals(1, shared.size());
    }

    private static void awaitSent(SlowSocket socket, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (socket.sent.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(count, socket.sent.size());
    }

    private static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    static RunSnapshot snapshot() {
        RunConfig config = diffusionlab.training.ConfigParser.parse(java.util.Map.of("steps", 100));
        RunStatus status = new RunStatus("abc", "test", "ddpm_simple", RunState.RUNNING, 0, 100, 0, 0, null, 0, 0, 0, 0);
        return new RunSnapshot(status, config, 100, diffusionlab.training.RunHistory.EMPTY);
    }

    static RunEvent.Frames frames(PictureKind kind, long step) {
        float[][] clouds = new float[10][];
        for (int i = 0; i < 10; i++) {
            clouds[i] = new float[4000];
            for (int k = 0; k < clouds[i].length; k++) {
                clouds[i][k] = (float) Math.sin(k + step);
            }
        }
        return new RunEvent.Frames(kind, step, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, clouds);
    }
}
