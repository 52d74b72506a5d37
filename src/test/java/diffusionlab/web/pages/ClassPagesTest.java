package diffusionlab.web.pages;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the pages say to the teacher, and the projector layout of a run. */
class ClassPagesTest {
    private static final String KEY = "teacher-key-0123456789";
    @RegisterExtension
    static final TestServer server = TestServer.start(TestServer.SETTINGS.withAdminToken(KEY));

    private static HttpClient teacher() {
        HttpClient teacher = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5)).build();
        assertEquals(200, server.post(teacher, "/api/teacher", "{\"token\": \"" + KEY + "\"}").statusCode());
        return teacher;
    }

    @Test
    void theTeacherOnAStudentsRunReadsThatTheyAreSignedInAsTheTeacher() {
        String id = server.createRun(TINY);

        String page = server.send(teacher(), "GET", "/runs/" + id, null).body();

        assertTrue(page.contains("You are signed in as the teacher"), page);
        assertFalse(page.contains("You started this run"));
        assertTrue(page.contains("data-action=\"stop\""), "the teacher keeps the controls");
    }

    @Test
    void theBrowserThatStartedARunReadsThatItStartedIt() {
        String id = server.createRun(TINY);

        String page = server.send(server.owner, "GET", "/runs/" + id, null).body();

        assertTrue(page.contains("You started this run, so you control it"));
        assertFalse(page.contains("You are signed in as the teacher"));
    }

    @Test
    void theTeachersOwnRunSaysTheyStartedIt() {
        HttpClient teacher = teacher();
        String id = server.json(server.post(teacher, "/api/runs", TINY)).get("id").asText();

        assertTrue(server.send(teacher, "GET", "/runs/" + id, null).body().contains("You started this run"));
    }

    @Test
    void theProjectorViewShowsTheLossThePicturesAndTheSamplesWithoutAFormOrControls() {
        String id = server.createRun(TINY);

        String page = server.send(teacher(), "GET", "/runs/" + id + "?view=projector", null).body();

        assertTrue(page.contains("<body class=\"projector\">"), page);
        for (String canvas : new String[] {"loss-chart", "big-forward", "big-reverse", "big-field", "samples-canvas"}) {
            assertTrue(page.contains("id=\"" + canvas + "\""), canvas);
        }
        for (String absent : new String[] {"<form", "<input", "<select", "data-action=", "id=\"motion\""}) {
            assertFalse(page.contains(absent), absent);
        }
        assertTrue(server.get("/runs/" + id).body().contains("?view=projector"), "the dashboard links to it");
    }

    @Test
    void theHomePageOffersTheTeacherTheClassView() {
        assertTrue(server.send(teacher(), "GET", "/", null).body().contains("href=\"/class\""));
        assertFalse(server.get("/").body().contains("href=\"/class\""));
    }
}
