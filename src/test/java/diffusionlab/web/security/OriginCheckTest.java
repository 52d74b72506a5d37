package diffusionlab.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The live socket accepts this site's pages and non-browser clients, and refuses other sites before the upgrade. */
class OriginCheckTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();
    private static String run;

    @BeforeAll
    static void createRun() {
        run = server.createRun(TestServer.TINY);
    }

    private static URI live() {
        return URI.create("ws://localhost:" + server.web.port() + "/runs/" + run + "/live");
    }

    private static WebSocket connect(String origin) {
        return connect(origin, new WebSocket.Listener() { });
    }

    private static WebSocket connect(String origin, WebSocket.Listener listener) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin);
        }
        return builder.buildAsync(live(), listener).join();
    }

    @Test
    void theSitesOwnPageConnects() {
        WebSocket socket = connect("http://localhost:" + server.web.port());
        assertNotNull(socket);
        socket.abort();
    }

    @Test
    void aClientWithoutOriginConnects() {
        WebSocket socket = connect(null);
        assertNotNull(socket);
        socket.abort();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "http://localhost:1", "http://localhost.evil.example", "null",
            "file://", "not a url", "chrome-extension://abc"})
    void anotherSitesPageIsRefusedBeforeTheUpgrade(String origin) {
        CompletionException refused = assertThrows(CompletionException.class, () -> connect(origin));

        assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
        assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }

    @Test
    void theHostIsComparedWithoutTheSchemeBehindAnHttpsRouterAndWithItsDefaultPort() {
        assertTrue(sameHost("https://lab.example.org", "lab.example.org"));
        assertTrue(sameHost("https://lab.example.org", "lab.example.org:443"));
        assertTrue(sameHost("http://LAB.example.org:8080", "lab.example.org:8080"));
        assertFalse(sameHost("https://lab.example.org", "lab.example.org:80"));
        assertFalse(sameHost("https://lab.example.org.evil.com", "lab.example.org"));
        assertFalse(sameHost("https://evil.com", null));
        assertFalse(sameHost("ftp://lab.example.org", "lab.example.org"));
    }

    /** A page's socket sends nothing: one that talks is closed with 1008, one that floods with 1009. */
    @Test
    void aViewerThatSendsAnythingIsClosed() throws Exception {
        Ending ending = new Ending();
        WebSocket socket = connect(null, ending);
        socket.sendText("{\"type\": \"hello\"}", true).join();

        assertTrue(ending.closed.await(10, TimeUnit.SECONDS), "the server closes the socket");
        assertEquals(1008, ending.code);
        socket.abort();
    }

    /** Jetty refuses a message over the limit: a 1009 close, or a cut connection if the client is still sending. */
    @Test
    void aHugeMessageIsRefusedByJettyItself() throws Exception {
        Ending ending = new Ending();
        WebSocket socket = connect(null, ending);
        try {
            socket.sendText("x".repeat(1_000_000), true).join();
        } catch (CompletionException e) {
            // the server may close before the whole message is out
        }

        assertTrue(ending.closed.await(20, TimeUnit.SECONDS), "the server closes the socket");
        assertTrue(ending.code == 1009 || ending.code == -1, "closed with 1009 (message too big), not " + ending.code);
        socket.abort();
    }

    /** Listens for how a socket ends: the server's close code, or -1 if the connection broke instead. */
    private static final class Ending implements WebSocket.Listener {
        final CountDownLatch closed = new CountDownLatch(1);
        int code;

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            code = statusCode;
            closed.countDown();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            code = -1; // the server closed the connection under the client's feet
            closed.countDown();
        }
    }

    private static boolean sameHost(String origin, String host) {
        return OriginCheck.sameHost(origin, host);
    }
}
