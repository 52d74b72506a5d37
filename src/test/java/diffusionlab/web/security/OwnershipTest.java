package diffusionlab.web.security;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import diffusionlab.training.ConfigParser;
import diffusionlab.training.RunConfig;
import diffusionlab.web.TestServer;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Control follows the run's stored owner hash, nothing held in the server's memory: a run restored after a
 * restart (here: created straight in a fresh registry with the hash the storage kept) is still controlled
 * by the browser whose cookie hashes to it, and only by it.
 */
class OwnershipTest {

    @Test
    void theBrowserWhoseCookieMatchesTheStoredHashControlsTheRunAfterARestart() throws Exception {
        String secret = "A".repeat(43); // a well-formed owner secret, as the cookie of an earlier process held it
        try (TestServer restarted = TestServer.start()) {
            RunConfig config = ConfigParser.parse(restarted.json.readValue(
                    TINY.replace("\"steps\": 300", "\"steps\": 2000000"), Map.class));
            String id = restarted.registry.create(config, OwnerCookie.hash(secret)).id();
            restarted.awaitState(id, Duration.ofSeconds(30), "running");
            HttpClient browser = withCookie(restarted, secret);
            HttpClient otherBrowser = withCookie(restarted, "B".repeat(43));

            assertEquals(403, restarted.send(otherBrowser, "POST", "/api/runs/" + id + "/pause", null).statusCode());
            assertEquals(403, restarted.send(restarted.stranger, "POST", "/api/runs/" + id + "/pause", null).statusCode());
            assertEquals(200, restarted.send(browser, "POST", "/api/runs/" + id + "/pause", null).statusCode());
            assertEquals(200, restarted.send(browser, "POST", "/api/runs/" + id + "/resume", null).statusCode());
            assertEquals(200, restarted.send(browser, "POST", "/api/runs/" + id + "/stop", null).statusCode());
            assertEquals(204, restarted.send(browser, "DELETE", "/api/runs/" + id, null).statusCode());
        }
    }

    private static HttpClient withCookie(TestServer server, String secret) {
        CookieManager cookies = new CookieManager();
        HttpCookie cookie = new HttpCookie(OwnerCookie.NAME, secret);
        cookie.setPath("/");
        cookie.setVersion(0);
        cookies.getCookieStore().add(URI.create("http://localhost:" + server.web.port() + "/"), cookie);
        return HttpClient.newBuilder().cookieHandler(cookies).build();
    }
}
