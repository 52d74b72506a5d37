package diffusionlab.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.RequestOptions;
import com.microsoft.playwright.options.ViewportSize;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The teacher presents and a student's browser follows (its page, a lesson's sections, the player's t and play
 * state), leaves and rejoins; the class view pauses every run; the class view and the projector layout fit their screens.
 */
class ClassBrowserTest extends BrowserTest {
    private static final String SLIDER = MotionBrowserTest.SLIDER;
    private static final String BAR = "#class-bar";

    @AfterEach
    void endTheClass() {
        server.registry.list().forEach(r -> r.stop());
        BrowserContext teacher = signedIn(newContext());
        teacher.request().delete("/api/class/present", RequestOptions.create().setHeader("X-Requested-With", "t"));
    }

    /** Signs the context in as the teacher (its cookies are the browser's). */
    static BrowserContext signedIn(BrowserContext context) {
        var answer = context.request().post("/api/teacher", RequestOptions.create()
                .setHeader("X-Requested-With", "test").setHeader("Content-Type", "application/json")
                .setData("{\"token\": \"" + TEACHER_KEY + "\"}"));
        assertEquals(200, answer.status(), answer.text());
        return context;
    }

    private static String path(Page page) {
        return page.url().replaceFirst("^http://[^/]+", "");
    }

    @Test
    void aSecondBrowserFollowsTheTeachersPageTAndPlayStateAndCanLeaveAndRejoin() {
        String first = server.createRun(MotionBrowserTest.RUN);
        String second = server.createRun(MotionBrowserTest.RUN.replace("in motion", "the second run"));
        server.awaitState(first, Duration.ofSeconds(30), "running");

        Page teacher = open(signedIn(newContext(new ViewportSize(1280, 800))), "/class");
        teacher.click("#start-presenting");
        teacher.waitForURL("**/");
        assertThat(teacher.locator(BAR)).containsText("Presenting");

        Page student = open(newContext(new ViewportSize(1280, 800)), "/class/follow");
        student.waitForURL(server.uri("/").toString());
        assertThat(student.locator(BAR)).containsText("Following the teacher");

        // the teacher opens a run: the student follows
        teacher.navigate("/runs/" + first);
        student.waitForURL("**/runs/" + first);
        // the teacher moves the player to t = 37 and then t = 80: so does the student's
        teacher.waitForSelector(SLIDER + ":not([disabled])");
        screenshotOfWindow(teacher, "class-presenter-desktop");
        student.waitForSelector(SLIDER + ":not([disabled])");
        MotionBrowserTest.setSlider(teacher, SLIDER, 63); // the slider runs from the noise: 63 steps in is t = 37
        assertThat(student.locator("#motion output")).hasText("t = 37");
        assertEquals("63", student.locator(SLIDER).inputValue());
        MotionBrowserTest.setSlider(teacher, SLIDER, 20);
        assertThat(student.locator("#motion output")).hasText("t = 80");
        // ... plays it: so does the student's, and pauses it again
        teacher.click("#motion .motion-play");
        assertThat(student.locator("#motion .motion-play")).hasText("❚❚ Pause");
        teacher.click("#motion .motion-play");
        assertThat(student.locator("#motion .motion-play")).hasText("▶ Play");
        assertThat(student.locator(BAR)).containsText("Following the teacher");
        screenshotOfWindow(student, "class-follower-desktop");

        // the student leaves: the teacher's next page does not take them along
        student.click(BAR + " [data-action=leave]");
        assertThat(student.locator(BAR)).containsText("You left the teacher");
        teacher.navigate("/runs/" + second);
        teacher.waitForSelector(SLIDER);
        student.waitForTimeout(1000);
        assertEquals("/runs/" + first, path(student), "a student who left stays where they are");
        student.reload();
        assertThat(student.locator(BAR)).containsText("You left the teacher"); // remembered across pages

        // ... and rejoins: straight to the teacher's page
        student.click(BAR + " [data-action=rejoin]");
        student.waitForURL("**/runs/" + second);
        assertThat(student.locator(BAR)).containsText("Following the teacher");

        // the teacher walks through the lesson: the student follows section by section
        teacher.navigate("/lesson/score");
        student.waitForURL("**/lesson/score");
        teacher.locator(".lesson-nav .next").first().click();
        teacher.waitForURL("**/lesson/langevin");
        student.waitForURL("**/lesson/langevin");
        assertThat(student.locator(BAR)).containsText("Following the teacher");

        // the teacher ends the class: the student is told so and stays
        teacher.click(BAR + " [data-action=stop]");
        assertThat(student.locator(BAR)).containsText("The teacher has ended the class");
        assertEquals("/lesson/langevin", path(student));
        assertThat(teacher.locator(BAR)).hasCount(0);
        assertNoConsoleErrors();
    }

    @Test
    void theClassViewPausesEveryRun() {
        String a = server.createRun(MotionBrowserTest.RUN.replace("in motion", "Ada's run"));
        String b = server.createRun(MotionBrowserTest.RUN.replace("in motion", "Ben's run"));
        server.awaitState(a, Duration.ofSeconds(30), "running");
        server.awaitState(b, Duration.ofSeconds(30), "running");

        Page page = open(signedIn(newContext(new ViewportSize(1280, 800))), "/class");
        page.waitForSelector(".class-run[data-id='" + a + "'] .state-running");
        page.waitForSelector(".class-run[data-id='" + b + "'] .state-running");
        assertThat(page.locator(".class-run[data-id='" + a + "'] .class-run-owner")).containsText("started by student ");
        await("the thumbnails are drawn", () -> Dom.painted(page, ".class-run[data-id='" + a + "'] canvas",
                Dom.REVERSE).count() > 20);

        page.click("[data-bulk=pause-all]");

        assertThat(page.locator("#bulk-result")).hasText(Pattern.compile("Paused 2 of \\d+ runs\\."));
        assertEquals("paused", server.registry.get(a).orElseThrow().state().id());
        assertEquals("paused", server.registry.get(b).orElseThrow().state().id());
        page.waitForSelector(".class-run[data-id='" + a + "'] .state-paused");
        page.waitForSelector(".class-run[data-id='" + b + "'] .state-paused");
        screenshot(page, "class-view-desktop");
        assertNoConsoleErrors();
    }

    @Test
    void theClassViewAndTheProjectorFitAPhoneAndTheProjectorOneScreen() {
        String id = server.createRun(MotionBrowserTest.RUN.replace("in motion", "projected"));
        server.awaitState(id, Duration.ofSeconds(30), "running");

        BrowserContext phone = signedIn(newPhoneContext());
        Page classView = open(phone, "/class");
        classView.waitForSelector(".class-run[data-id='" + id + "']");
        assertFitsItsWidth(classView, 390, "/class");
        screenshot(classView, "class-view-phone");

        Page projectorOnPhone = open(phone, "/runs/" + id + "?view=projector");
        projectorOnPhone.waitForSelector("#live-indicator.on");
        await("the samples are drawn", () -> Dom.painted(projectorOnPhone, "#samples-canvas", Dom.REVERSE).count() > 50);
        assertFitsItsWidth(projectorOnPhone, 390, "the projector view");
        screenshot(projectorOnPhone, "projector-phone");

        Page projector = open(signedIn(newContext(new ViewportSize(1280, 720))), "/runs/" + id + "?view=projector");
        projector.waitForSelector("#live-indicator.on");
        await("the samples are drawn", () -> Dom.painted(projector, "#samples-canvas", Dom.REVERSE).count() > 50);
        assertFitsItsWidth(projector, 1280, "the projector view");
        screenshot(projector, "projector-1280x720");
        int height = ((Number) projector.evaluate("() => document.documentElement.scrollHeight")).intValue();
        assertTrue(height <= 720, "the projector view is one 1280x720 screen, not " + height + " px high");
        assertEquals(0, projector.locator("form, input, select, button").count(), "no form, no controls");

        // a finished run: its end-of-run summary under the header keeps the name and its badges on the screen,
        // and the pictures on it
        String done = server.createRun(MotionBrowserTest.RUN.replace("in motion", "projected to the end")
                .replace("200000", "2000"));
        server.awaitState(done, Duration.ofSeconds(60), "done");
        Page finished = open(signedIn(newContext(new ViewportSize(1280, 720))), "/runs/" + done + "?view=projector");
        finished.waitForSelector("#run-summary:not([hidden])");
        await("the samples are drawn", () -> Dom.painted(finished, "#samples-canvas", Dom.REVERSE).count() > 50);
        await("the loss is drawn", () -> (Boolean) finished.evaluate("() => Chart.getChart("
                + "document.getElementById('loss-chart')).data.datasets[0].data.length > 10"));
        finished.waitForTimeout(500); // the chart's own animation
        assertFitsItsWidth(finished, 1280, "the projector view of a finished run");
        screenshot(finished, "projector-finished-1280x720");
        int finishedHeight = ((Number) finished.evaluate("() => document.documentElement.scrollHeight")).intValue();
        assertTrue(finishedHeight <= 720, "a finished run's projector view is one 1280x720 screen too, not "
                + finishedHeight + " px high");

        Page follow = open(newPhoneContext(), "/class/follow");
        assertThat(follow.locator("#follow-message")).isVisible();
        assertFitsItsWidth(follow, 390, "the class link");
        screenshot(follow, "class-follow-phone");
        assertNoConsoleErrors();
    }

    private static void assertFitsItsWidth(Page page, int width, String name) {
        int scrollWidth = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
        assertTrue(scrollWidth <= width, name + " is " + scrollWidth + " px wide in a window of " + width);
    }
}
