package diffusionlab.web.api;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import diffusionlab.web.security.AdminToken;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Signing a browser in with the teacher key: it then controls every run, as the bearer header does for curl. */
class TeacherApiTest {
    private static final String KEY = "teacher-key-0123456789";
    private static final String LONG = TINY.replace("\"steps\": 300", "\"steps\": 2000000");
    @RegisterExtension
    static final TestServer server = TestServer.start(TestServer.SETTINGS.withAdminToken(KEY));

    @AfterAll
    static void stopRuns() {
        server.registry.list().forEach(r -> r.stop());
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> signIn(TestServer on, HttpClient browser, String body) {
        return on.send(browser, "POST", "/api/teacher", body);
    }

    private static String cookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("dl_teacher="))
                .findFirst().orElseThrow(() -> new AssertionError("no teacher cookie: " + response.headers()));
    }

    @Test
    void aSignedInBrowserControlsAnotherBrowsersRunAndItsCookieNeverHoldsTheKey() {
        String id = server.createRun(LONG);
        server.awaitState(id, Duration.ofSeconds(30), "running");
        HttpClient teacher = browser();
        assertFalse(server.json(server.send(teacher, "GET", "/api/teacher", null)).get("signedIn").asBoolean());
        assertEquals(403, server.post(teacher, "/api/runs/" + id + "/pause", null).statusCode());

        HttpResponse<String> in = signIn(server, teacher, "{\"token\": \"" + KEY + "\"}");

        assertEquals(200, in.statusCode(), in.body());
        assertTrue(server.json(in).get("signedIn").asBoolean());
        String cookie = cookie(in);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertFalse(cookie.contains(KEY), "the cookie does not carry the key");
        assertTrue(server.json(server.send(teacher, "GET", "/api/teacher", null)).get("signedIn").asBoolean());
        assertTrue(server.send(teacher, "GET", "/runs/" + id, null).body().contains("data-owner=\"true\""),
                "the dashboard shows the teacher the controls");
        assertEquals(200, server.post(teacher, "/api/runs/" + id + "/pause", null).statusCode());
        assertEquals(200, server.post(teacher, "/api/runs/" + id + "/resume", null).statusCode());

        HttpResponse<String> out = server.send(teacher, "DELETE", "/api/teacher", null);
        assertEquals(200, out.statusCode());
        assertFalse(server.json(out).get("signedIn").asBoolean());
        assertEquals(403, server.post(teacher, "/api/runs/" + id + "/pause", null).statusCode());
        assertEquals(200, server.post(server.owner, "/api/runs/" + id + "/stop", null).statusCode());
    }

    @Test
    void aWrongOrMissingKeyIsAJsonErrorNamingTheFieldAndSignsNothingIn() {
        HttpClient student = browser();
        for (String body : List.of("{\"token\": \"teacher-key-012345678\"}", "{\"token\": \"" + KEY + "x\"}")) {
            HttpResponse<String> wrong = signIn(server, student, body);
            assertEquals(401, wrong.statusCode(), body);
            assertEquals("token", server.json(wrong).get("field").asText());
            assertTrue(wrong.headers().allValues("Set-Cookie").isEmpty(), "no cookie for a wrong key");
        }
        for (String body : List.of("{}", "{\"token\": 12}", "{\"token\": \"  \"}", "{\"token\": null}",
                "{\"token\": \"" + "k".repeat(1001) + "\"}")) {
            HttpResponse<String> bad = signIn(server, student, body);
            assertEquals(400, bad.statusCode(), body);
            assertEquals("token", server.json(bad).get("field").asText(), body);
        }
        assertEquals(403, server.send(student, "POST", "/api/teacher", "{\"token\": \"" + KEY + "\"}",
                "X-Requested-With", null).statusCode(), "a form on another site cannot sign a browser in");
        assertFalse(server.json(server.send(student, "GET", "/api/teacher", null)).get("signedIn").asBoolean());
    }

    @Test
    void aKeyGuessedTooOftenIsA429WithRetryAfter() {
        try (TestServer fresh = TestServer.start(TestServer.SETTINGS.withAdminToken(KEY))) {
            HttpClient guesser = browser();
            for (int i = 0; i < AdminToken.WRONG_KEYS_PER_MINUTE; i++) {
                assertEquals(401, signIn(fresh, guesser, "{\"token\": \"guess-" + i + "-0123456789\"}").statusCode());
            }
            HttpResponse<String> limited = signIn(fresh, guesser, "{\"token\": \"" + KEY + "\"}");
            assertEquals(429, limited.statusCode());
            assertTrue(limited.headers().firstValue("Retry-After").isPresent());
            assertTrue(fresh.json(limited).get("error").asText().contains("too many wrong teacher keys"));
            // locked out, a large body is refused before it is read
            String large = "{\"token\": \"" + "k".repeat(TeacherApi.MAX_BODY_BYTES * 100) + "\"}";
            assertEquals(429, signIn(fresh, guesser, large).statusCode());
            assertTrue(limited.headers().allValues("Set-Cookie").isEmpty(), "the right key signs nothing in now");
        }
    }

    @Test
    void aSignInBodyLargerThanAKeyCouldNeedIsA413() {
        String large = "{\"token\": \"" + "k".repeat(TeacherApi.MAX_BODY_BYTES) + "\"}";
        assertEquals(413, signIn(server, browser(), large).statusCode());
    }

    @Test
    void aCopiedCookieStopsWorkingWhenItsBrowserSignsOut() {
        HttpClient teacher = browser();
        String copy = value(cookie(signIn(server, teacher, "{\"token\": \"" + KEY + "\"}")));
        assertTrue(signedIn(server, copy));

        assertEquals(200, server.send(teacher, "DELETE", "/api/teacher", null).statusCode());

        assertFalse(signedIn(server, copy), "signing out revokes the session on the server, not just the cookie");
        String id = server.createRun(LONG);
        assertEquals(403, server.send(server.stranger, "POST", "/api/runs/" + id + "/pause", null, "Cookie", copy)
                .statusCode());
        server.post(server.owner, "/api/runs/" + id + "/stop", null);
    }

    @Test
    void everySignInGetsASessionOfItsOwnAndSigningOneOutLeavesTheOther() {
        String first = value(cookie(signIn(server, browser(), "{\"token\": \"" + KEY + "\"}")));
        HttpClient second = browser();
        String other = value(cookie(signIn(server, second, "{\"token\": \"" + KEY + "\"}")));

        assertNotEquals(first, other);
        server.send(second, "DELETE", "/api/teacher", null);
        assertTrue(signedIn(server, first));
        assertFalse(signedIn(server, other));
    }

    @Test
    void aRestartOrANewKeySignsEveryBrowserOut() {
        String value = value(cookie(signIn(server, browser(), "{\"token\": \"" + KEY + "\"}")));

        try (TestServer restarted = TestServer.start(TestServer.SETTINGS.withAdminToken(KEY));
             TestServer rekeyed = TestServer.start(TestServer.SETTINGS.withAdminToken("another-key-0123456789"))) {
            assertFalse(signedIn(restarted, value), "sessions live in memory: the teacher signs in again");
            assertFalse(signedIn(rekeyed, value));
            String id = rekeyed.createRun(LONG);
            assertEquals(403, rekeyed.send(rekeyed.stranger, "POST", "/api/runs/" + id + "/pause", null, "Cookie", value)
                    .statusCode(), "an old teacher cookie is just a viewer's");
            rekeyed.registry.list().forEach(r -> r.stop());
        }
        assertTrue(signedIn(server, value));
    }

    private static String value(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static boolean signedIn(TestServer on, String cookie) {
        return on.json(on.send(on.stranger, "GET", "/api/teacher", null, "Cookie", cookie)).get("signedIn").asBoolean();
    }

    @Test
    void withoutAKeyTheServerSaysSoAndSigningInIsAConflict() {
        try (TestServer open = TestServer.start()) {
            assertFalse(open.json(open.get("/api/teacher")).get("enabled").asBoolean());
            HttpResponse<String> in = signIn(open, browser(), "{\"token\": \"" + KEY + "\"}");
            assertEquals(409, in.statusCode());
            assertTrue(open.json(in).get("error").asText().contains("ADMIN_TOKEN"));
            assertTrue(open.get("/teacher").body().contains("This server has no teacher key"));
        }
    }
}
