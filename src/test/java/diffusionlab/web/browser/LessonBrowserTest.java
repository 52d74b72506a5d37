package diffusionlab.web.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import diffusionlab.web.TestServer;
import diffusionlab.web.lesson.LessonSection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lesson in a real browser: every section typesets its formulas with KaTeX and draws its live view. */
class LessonBrowserTest extends BrowserTest {
    private static final int[] WALK = {0x1e, 0x84, 0x49};

    private final List<String> started = new ArrayList<>();

    /** One small finished run of every preset a section is bound to, so that every live view has a run to draw. */
    @BeforeAll
    static void trainARunOfEveryPreset() {
        List<String> ids = new ArrayList<>();
        for (String preset : presets()) {
            ids.add(server.createRun(TestServer.TINY.replace("{", "{\"preset\": \"" + preset + "\", ")));
        }
        ids.forEach(id -> server.awaitState(id, Duration.ofSeconds(120), "done"));
    }

    private static List<String> presets() {
        return java.util.Arrays.stream(LessonSection.values()).map(s -> s.preset().id()).distinct().toList();
    }

    /** The runs a test started (some in the browser, so the teacher's key) are deleted, so that every section shows the small finished run of its preset again. */
    @AfterEach
    void deleteRuns() {
        started.forEach(id -> assertEquals(204, server.send(server.stranger, "DELETE", "/api/runs/" + id, null,
                "Authorization", "Bearer " + TEACHER_KEY).statusCode(), "the teacher deletes run " + id));
        started.clear();
    }

    @Test
    void everySectionTypesetsItsMathAndDrawsItsLiveViewOnALaptopAndAPhone() {
        Map<String, BrowserContext> windows = new LinkedHashMap<>();
        windows.put("desktop", newContext(DESKTOP));
        windows.put("phone", newPhoneContext());
        for (var window : windows.entrySet()) {
            for (LessonSection section : LessonSection.values()) {
                String name = "lesson-" + window.getKey() + "-" + section.id();
                Page page = open(window.getValue(), section.path());
                awaitTypesetAndDrawn(page, name);
                screenshot(page, name);
                int width = page.viewportSize().width;
                int scrollWidth = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
                assertTrue(scrollWidth <= width, name + " is " + scrollWidth + " px wide in a window of " + width);
                if (section == LessonSection.LANGEVIN) { // three short parts: one under the other on a phone, whole
                    assertEquals(List.of(), page.evaluate("() => [...document.querySelectorAll('.lesson-text .tex.display')]"
                            + ".filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.dataset.tex)"),
                            name + ": every part of the formula shows whole, none scrolls");
                }
                page.close();
            }
        }
        screenshot(open(windows.get("phone"), "/lesson"), "lesson-phone-index");
        assertNoConsoleErrors();
    }

    @Test
    void aSectionThatDoesNotExistSaysWhichSectionsDoOnAPhone() {
        BrowserContext phone = newPhoneContext();
        Page page = phone.newPage();
        Console console = new Console(page).expectFailedLoad(404, "/lesson/nosuchsection");
        page.navigate("/lesson/nosuchsection");

        assertTrue(page.locator("main").textContent().contains(LessonSection.ids()));
        screenshot(page, "lesson-phone-404");
        int scrollWidth = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
        assertTrue(scrollWidth <= PHONE.width, "the 404 page is " + scrollWidth + " px wide");
        assertEquals(List.of(), console.errors());
    }

    @Test
    void aSectionOpenedAgainWithAWarmCacheTypesetsAndDrawsAndSaysWhen() {
        BrowserContext context = newContext(DESKTOP);
        awaitTypesetAndDrawn(open(context, LessonSection.DDPM.path()), "cold"); // fills the cache
        long best = Long.MAX_VALUE;
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Page page = open(context, LessonSection.DDPM.path());
            awaitTypesetAndDrawn(page, "warm");
            long millis = ((Number) page.evaluate("() => Math.max(Number(document.getElementById('lesson').dataset."
                    + "typesetAt), Number(document.getElementById('lesson').dataset.drawnAt))")).longValue();
            times.add(millis);
            best = Math.min(best, millis);
            page.close();
        }
        note("lesson section " + LessonSection.DDPM.path() + " interactive (math typeset and live view drawn) after "
                + times + " ms from navigation, warm cache");
        // The 1.5 s target is a figure (BENCHMARKS.md "The lesson"), not an assertion on a shared machine.
        assertTrue(best > 0, "the page records when it was typeset and drawn: " + times);
        assertNoConsoleErrors();
    }

    @Test
    void theLangevinSectionDrawsTheNotebooksWalkAsArrowsAndAClickStartsItElsewhere() {
        Page page = open(newContext(DESKTOP), LessonSection.LANGEVIN.path());
        awaitTypesetAndDrawn(page, "langevin");
        await("the walk is drawn", () -> Dom.painted(page, "#lesson-view canvas", WALK).count() > 50);
        assertTrue(page.locator("#lesson-view figcaption").textContent().contains("from (1.5, -1.5)"));

        page.locator("#lesson-view canvas").click(new com.microsoft.playwright.Locator.ClickOptions()
                .setPosition(40, 40));
        await("the walk starts where the click was", () -> !page.locator("#lesson-view figcaption").textContent()
                .contains("from (1.5, -1.5)"));
        assertTrue(Dom.painted(page, "#lesson-view canvas", WALK).count() > 20);
        assertNoConsoleErrors();
    }

    @Test
    void theWalkIsTakenAgainOnTheWeightsOfEachNewFieldWhileTheRunTrains() {
        // the preset's own model, not the tiny one: a tiny score model trained at 70,000 steps/s on a fast machine
        // diverged (its Langevin samples flew off) within two seconds, and a diverged run draws no new field
        String id = server.createRun("{\"preset\": \"dsm\", \"steps\": 2000000}");
        started.add(id);
        Page page = open(newContext(DESKTOP), LessonSection.LANGEVIN.path() + "?run=" + id);
        awaitTypesetAndDrawn(page, "langevin, live");
        await("the first walk", () -> walkStep(page) >= 0);
        long first = walkStep(page);

        // a new field comes every 1.5 s while the run is watched; allow a slow machine a minute, and say what the page
        // showed if it never comes
        long deadline = System.nanoTime() + WAIT.multipliedBy(2).toNanos();
        while (walkStep(page) <= first) {
            if (System.nanoTime() > deadline) {
                fail("no walk on newer weights than step " + first + " within " + WAIT.multipliedBy(2).toSeconds()
                        + " s; the view said: " + page.locator("#lesson-view").textContent() + "; the run: "
                        + server.get("/api/runs/" + id).body());
            }
            TestServer.sleep(100);
        }
        assertTrue(Dom.painted(page, "#lesson-view canvas", WALK).count() > 20);
        assertNoConsoleErrors();
    }

    /** The training step of the weights the drawn walk was taken on, from the caption, or -1. */
    private static long walkStep(Page page) {
        Matcher m = Pattern.compile("weights of training step ([\\d,]+)")
                .matcher(page.locator("#lesson-view figcaption").textContent());
        return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
    }

    @Test
    void aWalkOutOfBoundsIsRefusedNamingTheFieldAndItsLimit() {
        Page page = open(newContext(DESKTOP), LessonSection.LANGEVIN.path());
        awaitTypesetAndDrawn(page, "langevin");
        await("the first walk", () -> Dom.painted(page, "#lesson-view canvas", WALK).count() > 50);
        String id = page.locator("#lesson").getAttribute("data-run-id");
        console(page).expectFailedLoad(400, "/api/runs/" + id + "/langevin-path?x=1.5&y=-1.5&steps=5000"
                + "&langevinStepSize=0.01&langevinDecay=0.9&seed=2");

        page.locator("#lesson-view input[name=steps]").fill("5000");
        page.locator("#lesson-view button[type=submit]").click();

        page.locator("#lesson-view .field-error").waitFor();
        assertEquals("steps must be a whole number between 1 and 1000",
                page.locator("#lesson-view .field-error").textContent());
        assertNoConsoleErrors();
    }

    @Test
    void theDdimKnobResamplesTheRunsWeightsWithThatManySteps() {
        Page page = open(newContext(DESKTOP), LessonSection.DDIM.path());
        awaitTypesetAndDrawn(page, "ddim");
        assertTrue(page.locator("#lesson-view figcaption").textContent().contains("S = 10 steps"));

        int runs = server.registry.list().size();
        page.locator("#f-sampleSteps").fill("3");
        page.locator("#f-sampleSteps").press("Enter");
        await("the samples are drawn again in 3 steps",
                () -> page.locator("#lesson-view figcaption").textContent().contains("S = 3 steps"));
        assertEquals(runs, server.registry.list().size(), "the knob samples the same run: it starts none");
        assertEquals(LessonSection.DDIM.path(), page.url().replaceFirst("^http://[^/]+", ""));
        assertNoConsoleErrors();
    }

    @Test
    void runItStartsTheSectionsPresetAndTheKnobStartsItWithTheChosenValue() {
        BrowserContext context = newContext(DESKTOP);
        Page page = open(context, LessonSection.FORWARD.path());
        awaitTypesetAndDrawn(page, "forward");
        page.locator("#run-it").click();
        JsonNode first = shownRun(page);
        assertEquals("default", first.get("config").get("preset").asText());

        page.locator("#f-schedule").selectOption("cosine");
        page.locator("#knob-form button[type=submit]").click();
        page.waitForURL(url -> !url.contains(first.get("id").asText()));
        JsonNode second = shownRun(page);
        assertEquals("default", second.get("config").get("preset").asText());
        assertEquals("cosine", second.get("config").get("schedule").asText());
        awaitTypesetAndDrawn(page, "the new run");
        assertNoConsoleErrors();
    }

    /** The run the page shows after starting one: its URL is the section's with ?run=ID, the URL a class follows. */
    private JsonNode shownRun(Page page) {
        page.waitForURL(Pattern.compile(".*\\?run=[A-Za-z0-9]+$"));
        Matcher id = Pattern.compile("\\?run=([A-Za-z0-9]+)").matcher(page.url());
        assertTrue(id.find(), page.url());
        started.add(id.group(1));
        assertEquals(id.group(1), page.locator("#lesson").getAttribute("data-run-id"));
        return server.json(server.get("/api/runs/" + id.group(1)));
    }

    /** Every formula typeset by KaTeX (none left as TeX, none an error) and the live view drawn from its run. */
    private static void awaitTypesetAndDrawn(Page page, String name) {
        page.waitForSelector("#lesson .katex");
        int formulas = page.locator("#lesson .tex").count();
        assertTrue(formulas >= 1, name);
        assertEquals(formulas, ((Number) page.evaluate("() => [...document.querySelectorAll('#lesson .tex')]"
                + ".filter((e) => e.querySelector('.katex')).length")).intValue(), name + ": every formula is typeset");
        assertEquals(0, page.locator("#lesson .katex-error").count(), name + ": no formula failed");
        await(name + " draws its live view", () -> page.locator("#lesson[data-drawn-at]").count() == 1
                && Dom.inked(page, "#lesson-view canvas", 200, true) > 500);
    }
}
