package diffusionlab.web.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import diffusionlab.web.lesson.LessonSection;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class LessonPagesTest {
    /** A run that trains in well under a second, on top of a preset. */
    static String tiny(String preset) {
        return TestServer.TINY.replace("{", "{\"preset\": \"" + preset + "\", ");
    }

    @RegisterExtension
    static final TestServer server = TestServer.start();

    @ParameterizedTest
    @EnumSource(LessonSection.class)
    void everySectionIsAPageWithItsFormulaItsLiveViewItsKnobAndItsQuestion(LessonSection section) {
        HttpResponse<String> page = server.get(section.path());

        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.contains("<h1>" + section.title() + "</h1>"), "title");
        assertTrue(html.contains("class=\"tex display\" data-tex="), "the formula, for KaTeX");
        assertTrue(html.contains("/webjars/katex/0.16.47/dist/katex.min.js"), "KaTeX from the app itself");
        assertTrue(html.contains("/webjars/katex/0.16.47/dist/katex.min.css"));
        assertTrue(html.contains("data-view=\"" + section.view().id() + "\""), "the live view");
        assertTrue(html.contains("data-preset=\"" + section.preset().id() + "\""), "bound to its preset");
        assertTrue(html.contains("id=\"run-it\""), "Run it");
        assertTrue(html.contains("name=\"" + section.knob() + "\""), "the knob as the form's input");
        assertTrue(html.contains("A question to think about"));
        section.next().ifPresent(next -> assertTrue(html.contains("href=\"" + next.path() + "\""), "next"));
        section.previous().ifPresent(previous -> assertTrue(html.contains("href=\"" + previous.path() + "\""), "prev"));
        for (LessonSection other : LessonSection.values()) {
            assertTrue(html.contains("href=\"" + other.path() + "\""), "the list of sections has " + other.id());
        }
    }

    @Test
    void theLessonPageListsEverySectionInTheNotebooksOrder() {
        HttpResponse<String> page = server.get("/lesson");

        assertEquals(200, page.statusCode());
        int last = -1;
        for (LessonSection section : LessonSection.values()) {
            int at = page.body().indexOf("href=\"" + section.path() + "\"");
            assertTrue(at > last, section.id() + " comes after the section before it");
            last = at;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/lesson/nosuchsection", "/lesson/DATA", "/lesson/%3Cscript%3E"})
    void aSectionThatDoesNotExistIsA404PageNamingTheKnownSectionsAndChangesNothing(String path) {
        int runs = server.registry.list().size();

        HttpResponse<String> page = server.get(path);

        assertEquals(404, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(page.body().contains(LessonSection.ids()), page.body());
        assertFalse(page.body().contains("<script>"), "the name is escaped");
        assertEquals(runs, server.registry.list().size(), "no run was started");
    }

    @Test
    void aSectionShowsTheNewestRunOfItsPreset() {
        server.createRun(tiny("dsm"));
        String newest = server.createRun(tiny("dsm"));
        server.createRun(tiny("default"));

        String html = server.get(LessonSection.LANGEVIN.path()).body();

        assertTrue(html.contains("data-run-id=\"" + newest + "\""), html);
        assertTrue(html.contains("The newest run of this preset"));
    }

    @Test
    void theNameOfTheRunShownIsEscaped() {
        String id = server.createRun(tiny("default").replace("\"name\": \"tiny\"",
                "\"name\": \"<script>alert(1)</script>\""));

        String html = server.get(LessonSection.DATA.path() + "?run=" + id).body();

        assertFalse(html.contains("<script>alert(1)"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    @Test
    void aRunStoppedBeforeItsFirstStepIsNotShown() {
        String shown = server.createRun(tiny("ssm"));
        server.awaitState(shown, java.time.Duration.ofSeconds(60), "done");
        String long1 = server.createRun(tiny("default").replace("\"steps\": 300", "\"steps\": 2000000"));
        String long2 = server.createRun(tiny("default").replace("\"steps\": 300", "\"steps\": 2000000"));
        String queued = server.createRun(tiny("ssm")); // both cores are taken: it waits
        try {
            assertEquals(200, server.post(server.owner, "/api/runs/" + queued + "/stop", "").statusCode());
            server.awaitState(queued, java.time.Duration.ofSeconds(30), "stopped");

            String html = server.get(LessonSection.SLICED.path()).body();

            assertTrue(html.contains("data-run-id=\"" + shown + "\""), "the newest run with something to show");
        } finally {
            server.post(server.owner, "/api/runs/" + long1 + "/stop", "");
            server.post(server.owner, "/api/runs/" + long2 + "/stop", "");
        }
    }

    @Test
    void aSectionShowsTheRunTheTeacherChoseWhateverItsPreset() {
        String chosen = server.createRun(tiny("flow_matching"));

        String html = server.get(LessonSection.SCORE.path() + "?run=" + chosen).body();

        assertTrue(html.contains("data-run-id=\"" + chosen + "\""));
        assertTrue(html.contains("The run the teacher chose"));
        assertEquals(404, server.get(LessonSection.SCORE.path() + "?run=nosuchrun").statusCode());
    }

    @Test
    void aSectionWithNoRunOfItsPresetOffersToStartOne() {
        String html = server.get(LessonSection.REVERSE.path()).body(); // no test here starts ddpm_vlb

        assertTrue(html.contains("data-run-id=\"\""));
        assertTrue(html.contains(">Run it</button>"));
    }

    @Test
    void everyDashboardCaptionLinksToItsSectionOfTheLesson() {
        String diffusion = server.get("/runs/" + server.createRun(tiny("default"))).body();
        String score = server.get("/runs/" + server.createRun(tiny("ssm"))).body();

        for (LessonSection s : new LessonSection[] {LessonSection.DATA, LessonSection.SCORE, LessonSection.FORWARD,
                LessonSection.DDPM, LessonSection.DDIM}) {
            assertTrue(diffusion.contains("<a class=\"learn\" href=\"" + s.path() + "\">Learn: " + s.title()), s.id());
        }
        for (LessonSection s : new LessonSection[] {LessonSection.SLICED, LessonSection.LANGEVIN}) {
            assertTrue(score.contains("<a class=\"learn\" href=\"" + s.path() + "\">Learn: " + s.title()), s.id());
        }
        assertFalse(score.contains("href=\"/lesson/ddim\""), "a score model samples by Langevin, not DDIM");
    }

    @Test
    void theTopBarOfEveryPageLinksToTheLesson() {
        for (String path : new String[] {"/", "/teacher", "/lesson", LessonSection.DATA.path()}) {
            assertTrue(server.get(path).body().contains("<a class=\"lesson-link\" href=\"/lesson\">Lesson</a>"), path);
        }
    }

    @Test
    void katexItsStylesAndItsFontsAreServedByTheAppItself() {
        for (String path : new String[] {"/webjars/katex/0.16.47/dist/katex.min.js",
                "/webjars/katex/0.16.47/dist/katex.min.css",
                "/webjars/katex/0.16.47/dist/fonts/KaTeX_Main-Regular.woff2"}) {
            assertEquals(200, server.get(path).statusCode(), path);
        }
    }
}
