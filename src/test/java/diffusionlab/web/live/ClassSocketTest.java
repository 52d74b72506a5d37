package diffusionlab.web.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.web.TestServer;
import diffusionlab.web.security.FairShares;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The class socket /class/live: the teacher's state on connect and on every change, to every follower. */
class ClassSocketTest {
    private static final String KEY = "teacher-key-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static HttpClient teacher(TestServer server) {
        HttpClient teacher = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        assertEquals(200, server.post(teacher, "/api/teacher", "{\"token\": \"" + KEY + "\"}").statusCode());
        return teacher;
    }

    @Test
    void aFollowerGetsTheStateOnConnectAndEveryChangeUntilTheClassEnds() throws Exception {
        try (TestServer server = TestServer.start(TestServer.SETTINGS.withAdminToken(KEY));
             LiveClient follower = LiveClient.openClass(server.web.port())) {
            JsonNode first = follower.next(WAIT);
            assertEquals("class", first.get("type").asText());
            assertFalse(first.get("presenting").asBoolean());
            assertFalse(first.get("ended").asBoolean(), "no class yet");

            HttpClient teacher = teacher(server);
            server.post(teacher, "/api/class/present", "{\"path\": \"/runs/abc\", \"t\": 7, \"playing\": false}");
            JsonNode presented = follower.next(WAIT);
            assertTrue(presented.get("presenting").asBoolean());
            assertEquals("/runs/abc", presented.get("path").asText());
            assertEquals(7, presented.get("t").asInt());

            try (LiveClient late = LiveClient.openClass(server.web.port())) {
                assertEquals("/runs/abc", late.next(WAIT).get("path").asText(), "a late follower starts where we are");
            }

            server.send(teacher, "DELETE", "/api/class/present", null);
            JsonNode ended = follower.next(WAIT);
            assertFalse(ended.get("presenting").asBoolean());
            assertTrue(ended.get("ended").asBoolean());
            assertTrue(ended.get("seq").asLong() > presented.get("seq").asLong());
        }
    }

    @Test
    void aRefusedPresentationSendsNothing() throws Exception {
        try (TestServer server = TestServer.start(TestServer.SETTINGS.withAdminToken(KEY));
             LiveClient follower = LiveClient.openClass(server.web.port())) {
            assertNotNull(follower.next(WAIT));
            server.post(server.owner, "/api/class/present", "{\"path\": \"/runs/abc\"}");
            server.post(teacher(server), "/api/class/present", "{\"path\": \"//evil.example\"}");

            assertEquals(null, follower.next(Duration.ofMillis(500)));
        }
    }

    @Test
    void anotherSitesPageCannotFollowAndTheSocketsCountAgainstTheViewerCaps() {
        try (TestServer server = TestServer.start(TestServer.SETTINGS.withShares(new FairShares(7, 1, 1)))) {
            URI uri = URI.create("ws://localhost:" + server.web.port() + "/class/live");
            CompletionException refused = assertThrows(CompletionException.class, () -> HttpClient.newHttpClient()
                    .newWebSocketBuilder().header("Origin", "https://evil.example")
                    .buildAsync(uri, new WebSocket.Listener() { }).join());
            assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());

            try (LiveClient one = LiveClient.openClass(server.web.port())) {
                CompletionException second = assertThrows(CompletionException.class,
                        () -> LiveClient.openClass(server.web.port()));
                assertEquals(429, ((WebSocketHandshakeException) second.getCause()).getResponse().statusCode());
            }
        }
    }
}
