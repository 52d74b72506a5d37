package diffusionlab.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The teacher signs in on /teacher and then controls a student's run from its dashboard. */
class TeacherBrowserTest extends BrowserTest {
    @Test
    void theTeacherSignsInAndPausesAStudentsRunFromItsDashboard() {
        String id = server.createRun(LiveRunsBrowserTest.RUN.replace("shared with a friend", "a student's run"));
        server.awaitState(id, Duration.ofSeconds(30), "running");
        BrowserContext teacher = newContext();

        Page before = open(teacher, "/runs/" + id);
        before.waitForSelector("#live-indicator.on");
        assertEquals(0, before.locator("#controls [data-action]").count(), "not signed in: a viewer");

        Page signIn = open(teacher, "/");
        console(signIn).expectFailedLoad(401, "/api/teacher");
        signIn.click("text=Teacher");
        signIn.waitForURL("**/teacher");
        signIn.fill("#teacher-token", "not the key at all");
        signIn.click("#teacher-sign-in");
        assertThat(signIn.locator("[data-error-for=token]")).hasText("that is not the teacher key");
        signIn.fill("#teacher-token", TEACHER_KEY);
        signIn.click("#teacher-sign-in");
        assertThat(signIn.locator("#teacher-in")).isVisible();
        assertThat(signIn.locator("#teacher-form")).isHidden();
        screenshot(signIn, "teacher-signed-in");

        Page dashboard = open(teacher, "/runs/" + id);
        dashboard.waitForSelector("#live-indicator.on");
        assertEquals(4, dashboard.locator("#controls [data-action]").count(), "the teacher has the controls");
        dashboard.click("#controls [data-action=pause]");
        dashboard.waitForSelector("#run-state.state-paused");
        assertEquals("paused", server.json(server.get("/api/runs/" + id)).path("status").path("state").asText());

        signIn.click("#teacher-sign-out");
        assertThat(signIn.locator("#teacher-form")).isVisible();
        Page after = open(teacher, "/runs/" + id);
        after.waitForSelector("#run-state.state-paused");
        assertEquals(0, after.locator("#controls [data-action]").count(), "signed out: a viewer again");
        server.post(server.owner, "/api/runs/" + id + "/stop", null);
        assertNoConsoleErrors();
    }
}
