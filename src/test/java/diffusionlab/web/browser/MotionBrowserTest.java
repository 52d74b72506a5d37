package diffusionlab.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reverse chain in motion (static/js/motion.js) on the dashboard and the compare page, and the densities. */
class MotionBrowserTest extends BrowserTest {
    static final String RUN = """
            {"name": "in motion", "dataset": "moons", "datasetSize": 2000, "timesteps": 100,
             "hidden": 32, "steps": 200000, "batchSize": 256}""";
    static final String PARTICLES = "#motion canvas[data-role=particles]";
    static final String SLIDER = "#motion input[type=range]";

    @Test
    void theChainPlaysWhileTrainingIsPausedAndItsSliderReachesEveryStep() {
        String id = server.createRun(RUN);
        Page page = open(newContext(), "/runs/" + id);
        page.setViewportSize(1280, 800);
        page.waitForSelector(SLIDER + ":not([disabled])");
        assertEquals("100", page.getAttribute(SLIDER, "max"), "the slider reaches the chain's T steps");
        assertEquals("0", page.getAttribute(SLIDER, "min"));

        // a model that has learnt something, so that its particles stay in the picture
        await("the motion of a model trained 3,000 steps", () -> motionStep(page) >= 3000);

        // training paused, no refresh on its way: the canvas stands still until play
        server.post(server.owner, "/api/runs/" + id + "/pause", null);
        server.awaitState(id, WAIT, "paused");
        awaitStill(page, PARTICLES);
        String still = Dom.signature(page, PARTICLES, 0);
        page.click("#motion .motion-play");
        assertThat(page.locator("#motion .motion-play")).hasText("❚❚ Pause");
        page.waitForTimeout(300);
        String playing = Dom.signature(page, PARTICLES, 0);
        page.waitForTimeout(300);
        assertNotEquals(still, playing, "play moves the particles");
        assertNotEquals(playing, Dom.signature(page, PARTICLES, 0), "and keeps moving them");
        page.click("#motion .motion-play");
        assertThat(page.locator("#motion .motion-play")).hasText("▶ Play");

        // while it plays between kept states, the readout (alphaBar, noise level) is that of the t shown: one per t
        setSlider(page, SLIDER, 30);
        page.click("#motion .motion-play");
        assertEquals("[]", String.valueOf(page.evaluate("""
                () => new Promise((done) => {
                  const seen = {}, start = performance.now();
                  const read = (now) => {
                    const t = document.querySelector('#motion output').textContent;
                    (seen[t] = seen[t] || new Set()).add(document.querySelector('#motion .motion-readout').textContent);
                    if (now - start < 1500) requestAnimationFrame(read);
                    else done(Object.entries(seen).filter(([, r]) => r.size > 1).map(([t, r]) => `${t}: ${[...r].join(' / ')}`));
                  };
                  requestAnimationFrame(read);
                })""")), "every t shown has one readout");
        page.click("#motion .motion-play");
        assertThat(page.locator("#motion .motion-play")).hasText("▶ Play");

        // every step, not ten stops, from the noise on the left: 63 steps in is t = 37, with its alphaBar and noise level
        setSlider(page, SLIDER, 63);
        assertThat(page.locator("#motion output")).hasText("t = 37");
        assertThat(page.locator("#motion .motion-readout")).containsText("ᾱₜ = 0.");
        assertThat(page.locator("#motion .motion-readout")).containsText("noise level √(1 − ᾱₜ) = 0.");
        await("the particles at t = 37 are drawn", () -> Dom.painted(page, PARTICLES, Dom.REVERSE).count() > 100);
        assertTrue(inked(page, "#motion canvas[data-role=q-density]") > 1000, "q(x_t) is drawn");
        assertTrue(inked(page, "#motion canvas[data-role=p-density]") > 1000, "p_theta(x_t) is drawn");
        String at37 = Dom.signature(page, "#motion canvas[data-role=q-density]", 0);
        setSlider(page, SLIDER, 10);
        assertThat(page.locator("#motion output")).hasText("t = 90");
        await("q(x_t) changes with t", () -> !Dom.signature(page, "#motion canvas[data-role=q-density]", 0).equals(at37));

        page.locator("#motion").scrollIntoViewIfNeeded();
        screenshot(page, "motion-dashboard-desktop");
        section(page, "#motion", "motion-section-desktop");
        section(page, "#big-field", "motion-field-desktop");
        page.setViewportSize(390, 844);
        page.waitForTimeout(300);
        assertEquals("[]", String.valueOf(page.evaluate("""
                () => [...document.querySelectorAll('#motion *')]
                  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                  .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")),
                "the motion section fits a phone's width");
        assertTrue(inked(page, "#motion canvas[data-role=p-density]") > 300, "the densities draw on a phone");
        screenshot(page, "motion-dashboard-phone");
        section(page, "#motion", "motion-section-phone");
        server.post(server.owner, "/api/runs/" + id + "/stop", null);
        assertNoConsoleErrors();
    }

    /** Every column's progress along its chain, its slider's place from the noise (0) to the data (1). */
    private static final String PROGRESS = """
            () => [...document.querySelectorAll('.compare-column [data-role=motion] input[type=range]')]
              .map((s) => Number(s.value) / Number(s.max))""";

    @Test
    void theColumnsOfTheComparePagePlayOnOneClockAtTheSameProgressWhateverTheirChainsLength() {
        String ddpm = server.createRun(RUN);
        String score = server.createRun("""
                {"name": "score", "objective": "dsm", "dataset": "gaussians8", "steps": 200000, "sampleSteps": 50}""");
        Page page = open(newContext(), "/compare?runs=" + ddpm + "," + score);
        page.setViewportSize(1280, 800);
        String[] columns = {".compare-column[data-run-id=\"" + ddpm + "\"]", ".compare-column[data-run-id=\"" + score + "\"]"};
        for (String column : columns) {
            page.waitForSelector(column + " [data-role=motion] input[type=range]:not([disabled])");
            await("the motion of " + column + " is drawn",
                    () -> Dom.painted(page, column + " canvas[data-role=particles]", Dom.REVERSE).count() > 50);
        }
        String slider = " [data-role=motion] input[type=range]";
        assertEquals("100", page.getAttribute(columns[0] + slider, "max"), "the reverse process: T = 100 steps");
        assertEquals("50", page.getAttribute(columns[1] + slider, "max"), "Langevin: K = 50 iterations");

        // one play button plays every column, from the noise, each at the same share of its own chain
        String[] particles = {columns[0] + " canvas[data-role=particles]", columns[1] + " canvas[data-role=particles]"};
        String[] before = {Dom.signature(page, particles[0], 0), Dom.signature(page, particles[1], 0)};
        page.click(columns[0] + " .motion-play");
        for (String column : columns) {
            assertThat(page.locator(column + " .motion-play")).hasText("❚❚ Pause");
        }
        for (int i = 0; i < 2; i++) {
            int column = i;
            await("column " + column + " plays", () -> !Dom.signature(page, particles[column], 0).equals(before[column]));
        }
        // read in one task: drawn in the same animation frame, apart by no more than their rounding to a whole step
        double tolerance = 0.5 / 100 + 0.5 / 50 + 1e-9;
        Set<Double> seen = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            List<?> progress = (List<?>) page.evaluate(PROGRESS);
            double a = ((Number) progress.get(0)).doubleValue(), b = ((Number) progress.get(1)).doubleValue();
            assertTrue(Math.abs(a - b) <= tolerance, "the columns show the same progress while playing: " + progress);
            seen.add(a);
            page.waitForTimeout(150);
        }
        assertTrue(seen.size() > 3, "the progress moves: " + seen);

        // the speed and the loop of one column are every column's
        page.selectOption(columns[1] + " .motion-speed", "2");
        assertEquals("2", page.inputValue(columns[0] + " .motion-speed"));
        page.uncheck(columns[0] + " .motion-controls input[type=checkbox]");
        assertFalse(page.isChecked(columns[1] + " .motion-controls input[type=checkbox]"));
        page.check(columns[0] + " .motion-controls input[type=checkbox]");

        // pausing any column pauses all: nothing moves any more
        page.click(columns[1] + " .motion-play");
        for (String column : columns) {
            assertThat(page.locator(column + " .motion-play")).hasText("▶ Play");
        }
        Object paused = page.evaluate(PROGRESS);
        page.waitForTimeout(500);
        assertEquals(paused, page.evaluate(PROGRESS), "paused, every column stays where it is");

        // one column's slider moves every column to the same progress
        setSlider(page, columns[1] + slider, 25);
        assertThat(page.locator(columns[1] + " output")).hasText("k = 25");
        assertThat(page.locator(columns[0] + " output")).hasText("t = 50");

        // presenting (presenting.js): a column announces the clock's state as a step of the first column's chain,
        // and the state applied to every player puts each at that step's share of its own chain
        Object announced = page.evaluate("""
                (s) => new Promise((done) => {
                  document.addEventListener('dl:player', (e) => done(e.detail.t), { once: true });
                  const e = document.querySelector(s);
                  e.value = '10';
                  e.dispatchEvent(new Event('input', { bubbles: true }));
                })""", columns[1] + slider);
        assertEquals(80, ((Number) announced).intValue(), "k = 10 of 50 is t = 80 of 100");
        page.evaluate("() => document.querySelectorAll('.motion')"
                + ".forEach((e) => e.motionPlayer.apply({ t: 20, playing: false, speed: 1 }))");
        assertThat(page.locator(columns[0] + " output")).hasText("t = 20");
        assertThat(page.locator(columns[1] + " output")).hasText("k = 40");

        screenshot(page, "motion-compare-desktop");
        page.setViewportSize(390, 844);
        page.waitForTimeout(300);
        int scrollWidth = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
        assertTrue(scrollWidth <= 390, "the compare page is " + scrollWidth + " px wide on a phone");
        screenshot(page, "motion-compare-phone");
        server.post(server.owner, "/api/runs/" + ddpm + "/stop", null);
        server.post(server.owner, "/api/runs/" + score + "/stop", null);
        assertNoConsoleErrors();
    }

    /** A screenshot of one element, target/screenshots/{name}.png, to look at closely. */
    static void section(Page page, String selector, String name) {
        page.locator(selector).screenshot(new com.microsoft.playwright.Locator.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve(name + ".png")));
    }

    static void setSlider(Page page, String selector, int value) {
        page.evaluate("([s, v]) => { const e = document.querySelector(s); e.value = String(v);"
                + " e.dispatchEvent(new Event('input', { bubbles: true })); }", new Object[] {selector, value});
    }

    /** Waits until a canvas stays the same for a second (a picture refresh in flight has landed). */
    static void awaitStill(Page page, String selector) {
        String[] last = {Dom.signature(page, selector, 0)};
        await("the canvas " + selector + " stands still", () -> {
            page.waitForTimeout(1000);
            String now = Dom.signature(page, selector, 0);
            boolean same = now.equals(last[0]);
            last[0] = now;
            return same;
        });
    }

    /** The training step of the motion on the dashboard (from its readout), or -1. */
    static long motionStep(Page page) {
        var m = java.util.regex.Pattern.compile("training step ([\\d,]+)")
                .matcher(page.textContent("#motion .motion-readout"));
        return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
    }

    /** Opaque pixels of a canvas that are not near white. */
    static int inked(Page page, String selector) {
        return ((Number) page.evaluate("""
                (s) => {
                  const c = document.querySelector(s);
                  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let n = 0;
                  for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && d[i] + d[i + 1] + d[i + 2] < 600) n++;
                  return n;
                }""", selector)).intValue();
    }
}
