package diffusionlab.web.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every page on a phone held upright and on a laptop: nothing wider than the window, pictures in reach. */
class SmallScreensBrowserTest extends BrowserTest {
    private static final String RUN = """
            {"name": "a long name for a run that a teacher shares with the whole class", "dataset": "swiss_roll",
             "datasetSize": 2000, "timesteps": 40, "hidden": 32, "steps": 200000, "batchSize": 256}""";

    private final List<String> started = new ArrayList<>();

    @AfterEach
    void stopRuns() {
        started.forEach(id -> server.post(server.owner, "/api/runs/" + id + "/stop", ""));
    }

    @Test
    void noPageScrollsSidewaysOnAPhoneOrALaptop() {
        String first = start(RUN);
        String second = start(RUN.replace("swiss_roll", "moons").replace("a long name", "another long name"));
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("start", "/");
        pages.put("dashboard", "/runs/" + first);
        pages.put("compare", "/compare?runs=" + first + "," + second);
        pages.put("teacher", "/teacher");

        Map<String, BrowserContext> windows = new LinkedHashMap<>();
        windows.put("phone", newPhoneContext());
        windows.put("desktop", newContext(DESKTOP));
        for (var window : windows.entrySet()) {
            for (var entry : pages.entrySet()) {
                Page page = open(window.getValue(), entry.getValue());
                if (entry.getValue().contains("runs")) {
                    String forward = entry.getKey().equals("dashboard") ? "#big-forward" : "canvas[data-role=forward]";
                    await("the pictures of " + entry.getKey() + " are drawn",
                            () -> Dom.painted(page, forward, 0, Dom.FORWARD).count() > 100);
                }
                String name = window.getKey() + "-" + entry.getKey();
                screenshot(page, name);
                screenshotOfWindow(page, name + "-first-screen");
                int width = page.viewportSize().width;
                int scrollWidth = ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
                assertTrue(scrollWidth <= width, name + " is " + scrollWidth + " px wide in a window of " + width);
            }
        }
        assertNoConsoleErrors();
    }

    @Test
    void theFirstScreenOfASharedLinkOnAPhoneShowsTheSamples() {
        String id = start(RUN);
        Page page = open(newPhoneContext(), "/runs/" + id);
        await("the samples are drawn", () -> Dom.painted(page, "#samples-canvas", Dom.REVERSE).count() > 200);

        BoundingBox samples = page.locator("#samples-canvas").boundingBox();
        assertTrue(samples.y + samples.height <= PHONE.height,
                "the whole picture of the samples is on the first screen: " + samples.y + " + " + samples.height);
        screenshotOfWindow(page, "phone-dashboard-shared-link");
        assertNoConsoleErrors();
    }

    private String start(String config) {
        String id = server.createRun(config);
        started.add(id);
        return id;
    }
}
