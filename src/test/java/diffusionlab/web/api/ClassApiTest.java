package diffusionlab.web.api;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.web.TestServer;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The teacher's class: presenting, every run at once, what students may start; students are refused and change nothing. */
class ClassApiTest {
    private static final String KEY = "teacher-key-0123456789";
    private static final String LONG = TINY.replace("\"steps\": 300", "\"steps\": 2000000");
    @RegisterExtension
    static final TestServer server = TestServer.start(TestServer.SETTINGS.withAdminToken(KEY));

    @AfterEach
    void endTheClass() {
        HttpClient teacher = teacher();
        server.registry.list().forEach(r -> r.stop());
        server.post(teacher, "/api/class/settings", "{\"studentsMayStart\": true, \"activeRunsPerClient\": null}");
        server.send(teacher, "DELETE", "/api/class/present", null);
    }

    static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static HttpClient teacher() {
        HttpClient teacher = browser();
        assertEquals(200, server.post(teacher, "/api/teacher", "{\"token\": \"" + KEY + "\"}").statusCode());
        return teacher;
    }

    private static String state(String id) {
        return server.json(server.get("/api/runs/" + id)).path("status").path("state").asText();
    }

    private static void assertRefused(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(server.json(response).get("error").asText().length() > 10, response.body());
    }

    @Test
    void aStudentWhoTriesStopAllIsRefusedAndNoRunChanges() {
        String a = server.createRun(LONG);
        String b = server.createRun(LONG);
        server.awaitState(a, Duration.ofSeconds(30), "running");
        server.awaitState(b, Duration.ofSeconds(30), "running");

        for (String action : List.of("stop-all", "pause-all", "resume-all")) {
            HttpResponse<String> refused = server.post(server.owner, "/api/class/" + action, null);
            assertRefused(refused, 403);
            assertTrue(server.json(refused).get("error").asText().contains("only the teacher"), refused.body());
        }

        assertEquals("running", state(a));
        assertEquals("running", state(b));
    }

    @Test
    void theTeacherPausesResumesAndStopsEveryRunAndHearsHowManyChanged() {
        String a = server.createRun(LONG);
        String b = server.createRun(LONG);
        server.awaitState(a, Duration.ofSeconds(30), "running");
        server.awaitState(b, Duration.ofSeconds(30), "running");
        HttpClient teacher = teacher();

        JsonNode paused = server.json(server.post(teacher, "/api/class/pause-all", null));
        assertEquals("pause", paused.get("action").asText());
        assertEquals(2, paused.get("changed").asInt());
        assertEquals("paused", state(a));
        assertEquals("paused", state(b));
        assertEquals(0, server.json(server.post(teacher, "/api/class/pause-all", null)).get("changed").asInt(),
                "nothing left to pause");

        assertEquals(2, server.json(server.post(teacher, "/api/class/resume-all", null)).get("changed").asInt());
        assertEquals("running", state(a));

        JsonNode stopped = server.json(server.post(teacher, "/api/class/stop-all", null));
        assertEquals(2, stopped.get("changed").asInt());
        server.awaitState(a, Duration.ofSeconds(30), "stopped");
        server.awaitState(b, Duration.ofSeconds(30), "stopped");
    }

    @Test
    void theTeacherPresentsAPageAndEveryoneCanReadItUntilTheClassEnds() {
        HttpClient teacher = teacher();
        HttpResponse<String> presented = server.post(teacher, "/api/class/present",
                "{\"path\": \"/compare?runs=a,b\", \"t\": 42, \"playing\": true, \"speed\": 2}");

        assertEquals(200, presented.statusCode(), presented.body());
        JsonNode state = server.json(server.get("/api/class")).get("presentation");
        assertTrue(state.get("presenting").asBoolean());
        assertEquals("/compare?runs=a,b", state.get("path").asText());
        assertEquals(42, state.get("t").asInt());
        assertTrue(state.get("playing").asBoolean());
        assertEquals(2.0, state.get("speed").asDouble());

        assertEquals(200, server.send(teacher, "DELETE", "/api/class/present", null).statusCode());
        JsonNode ended = server.json(server.get("/api/class")).get("presentation");
        assertFalse(ended.get("presenting").asBoolean());
        assertTrue(ended.get("ended").asBoolean());
        assertRefused(server.send(teacher, "DELETE", "/api/class/present", null), 409);
    }

    @Test
    void aStudentCannotPresentNorEndTheClassAndTheTeachersPageStays() {
        HttpClient teacher = teacher();
        server.post(teacher, "/api/class/present", "{\"path\": \"/runs/abc\"}");

        assertRefused(server.post(server.owner, "/api/class/present", "{\"path\": \"/runs/mine\"}"), 403);
        assertRefused(server.send(server.owner, "DELETE", "/api/class/present", null), 403);
        assertRefused(server.send(server.stranger, "POST", "/api/class/present", "{\"path\": \"/\"}"), 403);

        assertEquals("/runs/abc", server.json(server.get("/api/class")).get("presentation").get("path").asText());
    }

    @Test
    void aPresentationThatIsNotAPageOfThisSiteIsA400NamingTheField() {
        HttpClient teacher = teacher();
        server.post(teacher, "/api/class/present", "{\"path\": \"/runs/kept\"}");
        Map<String, String> bad = Map.ofEntries(
                Map.entry("{\"path\": \"//evil.example/x\"}", "path"),
                Map.entry("{\"path\": \"https://evil.example/\"}", "path"),
                Map.entry("{\"path\": \"javascript:alert(1)\"}", "path"),
                Map.entry("{\"path\": \"/runs/a b\"}", "path"),
                Map.entry("{\"path\": \"/api/runs\"}", "path"),
                Map.entry("{\"path\": \"/class/follow\"}", "path"),
                Map.entry("{\"path\": \"/teacher\"}", "path"),
                Map.entry("{\"path\": \"/" + "a".repeat(400) + "\"}", "path"),
                Map.entry("{\"path\": 12}", "path"),
                Map.entry("{}", "path"),
                Map.entry("{\"path\": \"/\", \"t\": -1}", "t"),
                Map.entry("{\"path\": \"/\", \"t\": 2.5}", "t"),
                Map.entry("{\"path\": \"/\", \"t\": 100000}", "t"),
                Map.entry("{\"path\": \"/\", \"playing\": \"yes\"}", "playing"),
                Map.entry("{\"path\": \"/\", \"speed\": 3}", "speed"),
                Map.entry("{\"path\": \"/\", \"speed\": \"fast\"}", "speed"));
        bad.forEach((body, field) -> {
            HttpResponse<String> refused = server.post(teacher, "/api/class/present", body);
            assertEquals(400, refused.statusCode(), body + " -> " + refused.body());
            assertEquals(field, server.json(refused).get("field").asText(), body);
        });
        HttpResponse<String> unknown = server.post(teacher, "/api/class/present", "{\"path\": \"/\", \"volume\": 3}");
        assertEquals(400, unknown.statusCode());
        assertEquals("volume", server.json(unknown).get("field").asText());
        assertEquals("/runs/kept", server.json(server.get("/api/class")).get("presentation").get("path").asText(),
                "a refused presentation changes nothing");
    }

    @Test
    void closingStartsRefusesStudentsWithAClearMessageButNeverTheTeacher() {
        HttpClient teacher = teacher();
        assertEquals(200, server.post(teacher, "/api/class/settings", "{\"studentsMayStart\": false}").statusCode());

        HttpResponse<String> refused = server.post(server.owner, "/api/runs", TINY);
        assertRefused(refused, 403);
        assertTrue(server.json(refused).get("error").asText().contains("the teacher has closed starting runs"));
        assertRefused(server.post(server.owner, "/api/compare/loss-variants", "{\"dataset\": \"moons\"}"), 403);
        assertEquals(201, server.post(teacher, "/api/runs", TINY).statusCode(), "the teacher is never blocked");
        assertFalse(server.json(server.get("/api/class")).get("settings").get("studentsMayStart").asBoolean());

        server.post(teacher, "/api/class/settings", "{\"studentsMayStart\": true}");
        assertEquals(201, server.post(server.owner, "/api/runs", TINY).statusCode());
    }

    @Test
    void theTeachersCapLimitsAStudentsActiveRuns() {
        HttpClient teacher = teacher();
        assertEquals(200, server.post(teacher, "/api/class/settings", "{\"activeRunsPerClient\": 1}").statusCode());
        HttpClient student = browser();

        assertEquals(201, server.post(student, "/api/runs", LONG).statusCode());
        HttpResponse<String> second = server.post(student, "/api/runs", LONG);

        assertRefused(second, 429);
        assertTrue(server.json(second).get("error").asText().contains("at most 1 at once"), second.body());
        assertTrue(second.headers().firstValue("Retry-After").isPresent());
        assertEquals(201, server.post(teacher, "/api/runs", LONG).statusCode(), "the teacher is not counted");
    }

    @Test
    void aStudentCannotChangeTheSettingsAndABadSettingNamesItsField() {
        assertRefused(server.post(server.owner, "/api/class/settings", "{\"studentsMayStart\": false}"), 403);
        assertTrue(server.json(server.get("/api/class")).get("settings").get("studentsMayStart").asBoolean());

        HttpClient teacher = teacher();
        for (String body : List.of("{\"activeRunsPerClient\": 0}", "{\"activeRunsPerClient\": 101}",
                "{\"activeRunsPerClient\": \"5\"}", "{\"studentsMayStart\": \"no\"}")) {
            HttpResponse<String> refused = server.post(teacher, "/api/class/settings", body);
            assertEquals(400, refused.statusCode(), body);
            assertTrue(body.contains(server.json(refused).get("field").asText()), body);
        }
        JsonNode settings = server.json(server.get("/api/class")).get("settings");
        assertTrue(settings.get("studentsMayStart").asBoolean());
        assertTrue(settings.get("activeRunsPerClient").isNull());
    }

    @Test
    void theClassListShowsTheTeacherEveryRunWithItsOwnerAndAThumbnailAndNobodyElse() {
        String students = server.createRun(TINY);
        HttpClient teacher = teacher();
        HttpResponse<String> mine = server.post(teacher, "/api/runs", TINY);
        String teachers = server.json(mine).get("id").asText();
        server.awaitState(students, Duration.ofSeconds(60), "done");
        server.awaitState(teachers, Duration.ofSeconds(60), "done");

        assertRefused(server.send(server.owner, "GET", "/api/class/runs", null), 403);
        JsonNode list = server.json(server.send(teacher, "GET", "/api/class/runs", null));

        JsonNode student = find(list, students);
        assertTrue(student.get("owner").asText().matches("student [0-9a-f]{6}"), student.toString());
        assertEquals("you", find(list, teachers).get("owner").asText());
        assertEquals("ddpm_simple", student.get("objective").asText());
        assertEquals("done", student.get("state").asText());
        assertTrue(student.get("quality").isNumber(), student.toString());
        assertEquals(ClassApi.THUMBNAIL_POINTS, student.get("picture").get("n").asInt());
        assertEquals("samples", student.get("pictureOf").asText());
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode run : list) {
            if (run.get("id").asText().equals(id)) {
                return run;
            }
        }
        throw new AssertionError("no run " + id + " in " + list);
    }

    @Test
    void onlyTheTeacherOpensTheClassViewButAnyoneTheClassLink() {
        HttpResponse<String> student = server.send(server.owner, "GET", "/class", null, "Accept", "text/html");
        assertEquals(403, student.statusCode());
        assertTrue(student.body().contains("only the teacher"), student.body());
        assertEquals(200, server.send(teacher(), "GET", "/class", null).statusCode());
        HttpResponse<String> follow = server.get("/class/follow");
        assertEquals(200, follow.statusCode());
        assertTrue(follow.body().contains("The teacher is not presenting yet")
                || follow.body().contains("The teacher has ended the class"), follow.body());
    }
}
