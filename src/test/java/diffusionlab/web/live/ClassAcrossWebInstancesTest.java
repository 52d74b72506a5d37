package diffusionlab.web.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.PostgresTestDatabase;
import diffusionlab.training.store.PrunePolicy;
import diffusionlab.training.store.StoreSettings;
import diffusionlab.web.TestServer;
import diffusionlab.web.WebSettings;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web role on PostgreSQL (docs/SCALING.md): the class is one class whichever web instance a browser reaches.
 * What the teacher presents, and the switches of the class view, set through one instance hold on every other,
 * on instances started later too, and a student's request is refused on every instance alike; a teacher who signs
 * out on one instance is signed out on all.
 */
@Tag("postgres")
class ClassAcrossWebInstancesTest {
    private static final String KEY = "teacher-key-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final WebSettings WEB = TestServer.SETTINGS.withAdminToken(KEY);

    @TempDir
    Path dataDir;

    @Test
    void theTeachersPresentationAndSwitchesSetOnOneWebInstanceHoldOnEveryOther() throws Exception {
        PostgresTestDatabase.fresh();
        StoreSettings settings = new StoreSettings(dataDir, System.getenv("TEST_DATABASE_URL"),
                CheckpointPolicy.DEFAULT, PrunePolicy.KEEP_ALL);
        try (TestServer a = TestServer.over(RunRegistry.openMirror(settings), WEB);
             TestServer b = TestServer.over(RunRegistry.openMirror(settings), WEB);
             LiveClient follower = LiveClient.openClass(b.web.port())) {
            assertFalse(follower.next(WAIT).get("presenting").asBoolean(), "no class yet");
            CookieManager cookies = new CookieManager();
            HttpClient teacher = HttpClient.newBuilder().cookieHandler(cookies).build();
            assertEquals(200, a.post(teacher, "/api/teacher", "{\"token\": \"" + KEY + "\"}").statusCode());

            HttpResponse<String> shown = a.post(teacher, "/api/class/present",
                    "{\"path\": \"/lesson/langevin\", \"t\": 3, \"playing\": true, \"speed\": 2}");
            assertEquals(200, shown.statusCode(), shown.body());
            JsonNode heard = follower.next(WAIT);
            assertTrue(heard.get("presenting").asBoolean(), "a follower of the other instance follows");
            assertEquals("/lesson/langevin", heard.get("path").asText());
            assertEquals(3, heard.get("t").asInt());
            assertTrue(heard.get("playing").asBoolean());
            assertEquals(2.0, heard.get("speed").asDouble());
            assertEquals(a.json.readTree(shown.body()).get("seq").asLong(), heard.get("seq").asLong(),
                    "one numbering of the changes for every instance");

            assertEquals(200, a.post(teacher, "/api/class/settings",
                    "{\"studentsMayStart\": false, \"activeRunsPerClient\": 2}").statusCode());
            awaitSettings(b, false);
            HttpResponse<String> refused = b.post(b.owner, "/api/runs", TestServer.TINY);
            assertEquals(403, refused.statusCode(), "the switch holds on the other instance: " + refused.body());
            assertTrue(refused.body().contains("closed starting runs"), refused.body());

            assertEquals(403, b.send(b.owner, "DELETE", "/api/class/present", null).statusCode(),
                    "a student cannot end the class on any instance");
            assertNull(follower.next(Duration.ofMillis(700)), "and the followers are told nothing");

            try (TestServer later = TestServer.over(RunRegistry.openMirror(settings), WEB);
                 LiveClient late = LiveClient.openClass(later.web.port())) {
                JsonNode first = late.next(WAIT);
                assertEquals("/lesson/langevin", first.get("path").asText(), "an instance started later knows the class");
                JsonNode state = later.json.readTree(later.get("/api/class").body());
                assertFalse(state.get("settings").get("studentsMayStart").asBoolean());
                assertEquals(2, state.get("settings").get("activeRunsPerClient").asInt());

                assertEquals(200, later.send(teacher, "DELETE", "/api/class/present", null).statusCode(),
                        "the teacher ends the class on a third instance");
                JsonNode ended = follower.next(WAIT);
                assertFalse(ended.get("presenting").asBoolean());
                assertTrue(ended.get("ended").asBoolean(), "the follower of the second instance sees it end");
                assertTrue(ended.get("seq").asLong() > heard.get("seq").asLong());
            }

            String copy = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("dl_teacher"))
                    .findFirst().orElseThrow().toString();
            assertEquals(200, b.send(teacher, "DELETE", "/api/teacher", null).statusCode(), "signed out on b");
            awaitRefused(a, copy);
            assertEquals(403, a.send(b.stranger, "POST", "/api/class/pause-all", null, "Cookie", copy).statusCode(),
                    "a copy of the signed-out cookie is worth nothing on the other instance");
        }
    }

    /** Until the sign-out is heard, a copy of the cookie still opens the class's runs on the other instance. */
    private static void awaitRefused(TestServer server, String cookie) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (server.send(server.stranger, "GET", "/api/class/runs", null, "Cookie", cookie).statusCode() == 403) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the other instance never heard of the sign-out");
    }

    private static void awaitSettings(TestServer server, boolean studentsMayStart) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode state = server.json.readTree(server.get("/api/class").body());
            if (state.get("settings").get("studentsMayStart").asBoolean() == studentsMayStart) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the other instance never heard the settings");
    }
}
