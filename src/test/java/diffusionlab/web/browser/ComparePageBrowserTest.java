package diffusionlab.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The compare page concludes: a results table that ranks the runs, every loss curve drawn, one slider for all. */
class ComparePageBrowserTest extends BrowserTest {
    /** The colours of the first three runs (static/js/compare.js's PALETTE). */
    private static final int[][] PALETTE = {{0x1f, 0x5f, 0x99}, {0xc0, 0x39, 0x2b}, {0x2a, 0x9d, 0x8f}};

    private static String run(String objective) {
        return """
                {"name": "%s", "objective": "%s", "dataset": "moons", "datasetSize": 1000, "timesteps": 20,
                 "hidden": 16, "layers": 2, "steps": 3000, "batchSize": 128, "sampleSteps": 200}"""
                .formatted(objective, objective);
    }

    @Test
    void theTableRanksEveryFinishedRunAboveTheFloorAndEveryLossCurveIsDrawnEvenBelowZero() {
        List<String> objectives = List.of("ddpm_simple", "ssm", "flow_matching");
        List<String> ids = objectives.stream().map(o -> server.createRun(run(o))).toList();
        ids.forEach(id -> server.awaitState(id, WAIT.multipliedBy(4), "done"));
        Page page = open(newContext(DESKTOP), "/compare?runs=" + String.join(",", ids));

        // the table: every run ranked once, with its quality, steps, wall time and speed, and the floor below them
        for (String id : ids) {
            String row = "#results-table tr[data-run-id=\"" + id + "\"]";
            assertThat(page.locator(row + " [data-role=quality]")).hasText(java.util.regex.Pattern.compile("^\\d\\.\\d+$"));
            assertThat(page.locator(row + " [data-role=steps]")).hasText("3,000 / 3,000");
            assertThat(page.locator(row + " [data-role=wall]")).not().hasText("–");
            assertThat(page.locator(row + " [data-role=speed]")).hasText(java.util.regex.Pattern.compile("^[\\d,]+$"));
            assertThat(page.locator(row + " [data-role=best-nfe]")).hasText(java.util.regex.Pattern.compile("^\\d+ \\(\\d.*\\)$"));
            assertThat(page.locator(row + " [data-role=straightness]")).hasText(java.util.regex.Pattern.compile("^\\d.*$"));
        }
        // quality against sampling steps: one curve per run, through every number of evaluations measured
        await("every run's quality by NFE is drawn", () -> page.evaluate("""
                () => Chart.getChart(document.getElementById('quality-chart')).data.datasets
                    .every((d) => d.data.length >= 6)""").equals(true));
        Set<String> ranks = new HashSet<>(page.locator("#results-table [data-role=rank]").allTextContents());
        assertEquals(Set.of("1", "2", "3"), ranks);
        assertEquals("floor", page.locator("#results-table tbody tr").last().getAttribute("class"),
                "the floor is the last row");
        double first = quality(page, "1");
        double last = quality(page, "3");
        assertTrue(first <= last, "ranked by quality, lower first: " + first + " then " + last);

        // ssm's loss goes below 0: the symlog axis draws it with the others
        await("every loss curve is drawn", () -> page.evaluate("""
                () => Object.values(Chart.getChart(document.getElementById('loss-chart')).data.datasets
                    .filter((d) => !d.raw)).every((d) => d.data.length > 20)""").equals(true));
        assertTrue((Boolean) page.evaluate("""
                () => Chart.getChart(document.getElementById('loss-chart')).data.datasets
                    .filter((d) => !d.raw && d.label === 'ssm')[0].data.some((p) => p.y < 0)"""),
                "ssm's loss below 0 is drawn");
        assertThat(page.locator("#loss-note")).containsText("Symlog axis");
        for (int[] colour : PALETTE) {
            await("the curve of colour " + colour[0], () -> Dom.painted(page, "#loss-chart", colour).count() > 100);
        }

        // the slider: the noise on the left and the data on the right, for the diffusion, flow and Langevin chains
        String ddpm = ".compare-column[data-run-id=\"" + ids.get(0) + "\"]";
        String ssm = ".compare-column[data-run-id=\"" + ids.get(1) + "\"]";
        String flow = ".compare-column[data-run-id=\"" + ids.get(2) + "\"]";
        await("the reverse frames", () -> !page.textContent(ssm + " [data-role=reverse-t]").isEmpty()
                && !page.textContent(flow + " [data-role=reverse-t]").isEmpty());
        page.focus("#t-slider");
        page.keyboard().press("Home");
        assertThat(page.locator("#t-value")).hasText("noise");
        assertThat(page.locator(ddpm + " [data-role=forward-t]")).hasText("t = 20");
        assertThat(page.locator(ddpm + " [data-role=reverse-t]")).hasText("t = 20");
        assertThat(page.locator(flow + " [data-role=reverse-t]")).hasText("t = 20");
        assertThat(page.locator(ssm + " [data-role=reverse-t]")).hasText("k = 0");
        page.keyboard().press("End");
        assertThat(page.locator("#t-value")).hasText("data");
        assertThat(page.locator(ddpm + " [data-role=reverse-t]")).hasText("t = 0");
        assertThat(page.locator(flow + " [data-role=reverse-t]")).hasText("t = 0");
        assertThat(page.locator(ssm + " [data-role=reverse-t]")).hasText("k = 200");
        screenshot(page, "compare-results-desktop");
        MotionBrowserTest.section(page, "#results", "compare-results-table-desktop");
        MotionBrowserTest.section(page, "#loss-chart", "compare-results-loss-desktop");
        MotionBrowserTest.section(page, "#quality-steps", "compare-quality-steps-desktop");
        screenshotOfWindow(page, "compare-results-desktop-first-screen");

        // a phone: each row becomes a card whose numbers are all in the window; the page never scrolls sideways
        page.setViewportSize(PHONE.width, PHONE.height);
        page.waitForTimeout(400);
        int scrollWidth = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
        assertTrue(scrollWidth <= PHONE.width, "the page is " + scrollWidth + " px wide on a phone");
        assertEquals("[]", String.valueOf(page.evaluate("""
                () => [...document.querySelectorAll('#results-table tbody td, #results-table tbody th')]
                  .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().right > window.innerWidth + 0.5)
                  .map((e) => e.dataset.role || e.tagName)""")), "every cell of the results fits the phone's width");
        // with a long run's numbers ("200,000 / 200,000 steps") no cell's text runs into the next one
        page.evaluate("() => document.querySelectorAll('#results-table tbody [data-role=steps]')"
                + ".forEach((e) => { if (e.textContent) e.textContent = '200,000 / 200,000'; })");
        assertEquals("[]", String.valueOf(page.evaluate("""
                () => [...document.querySelectorAll('#results-table tbody td')]
                  .filter((e) => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
                  .map((e) => e.dataset.role)""")), "every number fits its own cell on a phone");
        page.reload();
        page.waitForSelector("#results-table tbody tr.floor");
        screenshot(page, "compare-results-phone");
        MotionBrowserTest.section(page, "#results", "compare-results-table-phone");
        screenshotOfWindow(page, "compare-results-phone-first-screen");
        assertFalse(page.locator(".floor").allTextContents().isEmpty());

        // the dashboard of the flow model: its quality by NFE and the straightness of its paths
        Page dashboard = open(newContext(DESKTOP), "/runs/" + ids.get(2));
        await("the dashboard's quality by NFE", () -> dashboard.evaluate("""
                () => Chart.getChart(document.getElementById('quality-chart')).data.datasets[0].data.length >= 6""")
                .equals(true));
        assertThat(dashboard.locator("#quality-note")).containsText("Straightness of its full chain's paths: S = ");
        assertThat(dashboard.locator("#quality-note")).containsText("euler from the same noise");
        MotionBrowserTest.section(dashboard, "#quality-steps", "dashboard-quality-steps-desktop");
        assertNoConsoleErrors();
    }

    private static double quality(Page page, String rank) {
        return Double.parseDouble((String) page.evaluate("""
                (rank) => [...document.querySelectorAll('#results-table tr[data-run-id]')]
                    .find((r) => r.querySelector('[data-role=rank]').textContent === rank)
                    .querySelector('[data-role=quality]').textContent""", rank));
    }
}
