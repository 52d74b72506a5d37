package diffusionlab.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** "Reflow: straighten this flow" on a finished flow's dashboard, and the lineage on both dashboards. */
class ReflowBrowserTest extends BrowserTest {
    private static final String FLOW = """
            {"name": "a flow", "objective": "flow_matching", "dataset": "moons", "datasetSize": 1000, "timesteps": 50,
             "hidden": 64, "layers": 2, "steps": 6000, "batchSize": 128}""";

    @Test
    void aFinishedFlowIsReflowedInOneClickAndTheChildIsStraighter() {
        String parent = server.createRun(FLOW);
        server.awaitState(parent, WAIT.multipliedBy(4), "done");
        Page page = open(newContext(DESKTOP), "/runs/" + parent);
        page.waitForSelector("#reflow:not([hidden])");
        String parentNote = quality(page);

        page.click("#reflow-button");
        page.waitForURL(Pattern.compile(".*/runs/(?!" + parent + ")[a-z0-9]+$"));
        assertThat(page.locator("#reflow-of")).containsText("Reflow of a flow");
        assertThat(page.locator("#reflow-of a")).hasAttribute("href", "/runs/" + parent);
        page.waitForSelector("#run-state.state-done", new Page.WaitForSelectorOptions().setTimeout(WAIT.toMillis() * 4));
        String childNote = quality(page);
        double before = straightness(parentNote);
        double after = straightness(childNote);
        assertTrue(after < before, "the reflow is straighter: " + before + " then " + after);
        screenshot(page, "reflow-child-dashboard-desktop");
        MotionBrowserTest.section(page, ".run-header", "reflow-child-header-desktop");

        Page back = open(newContext(PHONE), "/runs/" + parent);
        assertThat(back.locator("#reflows a")).hasText("Reflow of a flow");
        MotionBrowserTest.section(back, ".run-header", "reflow-parent-header-phone");
        assertNoConsoleErrors();
    }

    @Test
    void thePresetReflowOffersTheFinishedFlowsNewestFirstAndStartsAReflowOfTheChosenOne() {
        String older = server.createRun(SMALL_FLOW.replace("a small flow", "an older flow"));
        server.awaitState(older, WAIT.multipliedBy(2), "done");
        Page page = open(newContext(PHONE), "/");
        String newer = server.createRun(SMALL_FLOW); // finished after the page was rendered
        server.awaitState(newer, WAIT.multipliedBy(2), "done");

        assertThat(page.locator(".field[data-field=reflowFrom]")).hasClass(Pattern.compile("irrelevant"));
        page.click(".preset[data-preset=reflow]");
        assertThat(page.locator("select[name=reflowFrom]")).hasValue(newer);
        assertThat(page.locator(".field[data-field=reflowFrom]")).not().hasClass(Pattern.compile("irrelevant"));
        assertThat(page.locator("select[name=reflowFrom] option")).hasCount(3); // (none) and the two flows
        page.selectOption("select[name=reflowFrom]", older);
        page.fill("input[name=steps]", "500");
        MotionBrowserTest.section(page, "#group-training", "reflow-preset-training-phone");
        // the schedule preview answers the change of steps and may move the button under the click: let it settle
        page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
        page.click("#start");
        for (int i = 0; i < 300 && !page.url().contains("/runs/"); i++) { // the dashboard, or the form's error
            try {
                Object error = page.evaluate("() => [...document.querySelectorAll('#form-error:not([hidden]), "
                        + "#error-summary:not([hidden]), .field-error:not([hidden])')].map(e => e.textContent).join(' | ')");
                assertEquals("", error, "the form shows no error");
            } catch (com.microsoft.playwright.PlaywrightException navigating) {
                // the page went on to the dashboard while it was read
            }
            page.waitForTimeout(100);
        }
        if (!page.url().contains("/runs/")) {
            screenshot(page, "reflow-preset-stuck");
            assertNoConsoleErrors();
        }
        page.waitForURL(Pattern.compile(".*/runs/(?!" + older + "|" + newer + ")[a-z0-9]+$"));
        assertThat(page.locator("#reflow-of")).containsText("Reflow of");
        assertThat(page.locator("#reflow-of a")).hasAttribute("href", "/runs/" + older);
        assertNoConsoleErrors();
    }

    private static final String SMALL_FLOW = """
            {"name": "a small flow", "objective": "flow_matching", "dataset": "moons", "datasetSize": 500, "timesteps": 20,
             "hidden": 16, "layers": 2, "steps": 300, "batchSize": 64}""";

    /** The dashboard's sentence on its quality against sampling steps, once the final sweep has arrived. */
    private static String quality(Page page) {
        assertThat(page.locator("#quality-note")).containsText("S = ");
        return page.textContent("#quality-note");
    }

    private static double straightness(String note) {
        var m = Pattern.compile("S = ([0-9.e+-]+)").matcher(note);
        assertTrue(m.find(), note);
        return Double.parseDouble(m.group(1));
    }
}
