package diffusionlab.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dashboard's header says what it knows: live, reconnecting, or how the run ended. */
class HonestStatesBrowserTest extends BrowserTest {
    private static final String LONG_RUN = """
            {"name": "long", "dataset": "moons", "datasetSize": 2000, "timesteps": 20, "hidden": 16,
             "steps": 2000000, "batchSize": 128}""";

    /**
     * Keeps every WebSocket the page opens in window.__sockets, so that a test can close them; while
     * window.__offline is set, a new socket goes to a closed port and fails, as on a dropped wifi (Chromium's
     * offline mode does not reliably stop a socket to localhost).
     */
    private static final String KEEP_SOCKETS = """
            window.__sockets = [];
            window.__offline = false;
            window.WebSocket = class extends WebSocket {
              constructor(url, ...rest) {
                super(window.__offline ? 'ws://127.0.0.1:9/' : url, ...rest);
                window.__sockets.push(this);
              }
            };
            """;

    @Test
    void aDroppedLiveConnectionShowsInTheHeaderUntilItComesBack() {
        String id = server.createRun(LONG_RUN);
        BrowserContext laptop = newContext();
        laptop.addInitScript(KEEP_SOCKETS);
        Page page = open(laptop, "/runs/" + id);
        assertThat(page.locator("#progress-text")).containsText("steps/s");
        assertThat(page.locator("#live-indicator")).hasText("live");

        // the classroom's wifi drops: the socket closes and every reconnect fails
        page.evaluate("() => { window.__offline = true; window.__sockets.forEach((socket) => socket.close()); }");
        assertThat(page.locator("#progress-text")).containsText("reconnecting…");
        assertThat(page.locator("#progress-text")).not().containsText("steps/s");
        assertThat(page.locator("#live-indicator")).hasText("reconnecting…");
        assertThat(page.locator("#run-state")).hasClass(Pattern.compile("\\bstale\\b"));
        screenshot(page, "dashboard-reconnecting");

        page.evaluate("() => { window.__offline = false; }");
        assertThat(page.locator("#progress-text")).containsText("steps/s",
                new LocatorAssertions.ContainsTextOptions().setTimeout(WAIT.toMillis()));
        assertThat(page.locator("#live-indicator")).hasText("live");
        assertThat(page.locator("#run-state")).not().hasClass(Pattern.compile("\\bstale\\b"));
        server.post(server.owner, "/api/runs/" + id + "/stop", "");
        // no check of the console: Chromium logs each failed reconnect as an error
    }

    @Test
    void aRunThatFinishesShowsItsSummaryAndNoLongerSaysLive() {
        String id = server.createRun("""
                {"name": "watched to the end", "dataset": "swiss_roll", "datasetSize": 2000, "timesteps": 20,
                 "hidden": 16, "steps": 40000, "batchSize": 128}"""); // long enough to be seen training
        Page page = open(newContext(), "/runs/" + id);
        assertThat(page.locator("#live-indicator")).hasText("live");
        assertThat(page.locator("#run-summary")).isHidden();

        // it ends while the page watches, then again for a page opened afterwards
        for (Page watching : List.of(page, open(newContext(), "/runs/" + awaitDone(id)))) {
            assertThat(watching.locator("#run-summary")).isVisible();
            assertThat(watching.locator("#run-summary")).containsText("Finished after 40,000 of 40,000 steps");
            assertThat(watching.locator("#run-summary")).containsText(Pattern.compile(
                    "Final sample quality: [\\d.]+ \\(sliced Wasserstein distance to held-out data at step 40,000"));
            assertThat(watching.locator("#run-summary")).containsText(Pattern.compile(
                    "Two fresh draws of the data set are 0\\.0\\d+ apart, the best any model can do: this run is [\\d.]+ times that"));
            assertThat(watching.locator("#run-state")).hasText("finished");
            assertThat(watching.locator("#live-indicator")).isHidden();
            assertThat(watching.locator("#pictures-note")).isHidden();
            assertTrue(!watching.locator("main").innerText().contains("redrawn every few seconds"));
            assertTrue(!watching.locator("main").innerText().contains("● live"));
        }
        screenshot(page, "dashboard-finished");
        assertNoConsoleErrors();
    }

    private static String awaitDone(String id) {
        server.awaitState(id, Duration.ofSeconds(60), "done");
        return id;
    }
}
