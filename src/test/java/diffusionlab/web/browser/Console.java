package diffusionlab.web.browser;

import com.microsoft.playwright.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A page's console errors and uncaught exceptions. The only error that may be forgiven is the one a test
 * provokes on purpose: Chromium logs every 4xx answer of a fetch ("Failed to load resource: the server
 * responded with a status of 400"), so a test of a bad request names that status and URL.
 */
final class Console {
    final Page page;
    private final List<String> errors = new ArrayList<>();
    private int expectedStatus = -1;
    private String expectedUrl;

    Console(Page page) {
        this.page = page;
        page.onConsoleMessage(message -> {
            if (message.type().equals("error") && !expected(message.text(), message.location())) {
                record("console error: " + message.text() + " at " + message.location());
            }
        });
        page.onPageError(error -> record("uncaught: " + error));
    }

    /** Forgives the console line of one deliberate bad request: this status from exactly this path. */
    Console expectFailedLoad(int status, String path) {
        this.expectedStatus = status;
        this.expectedUrl = path;
        return this;
    }

    private boolean expected(String text, String location) {
        return expectedUrl != null
                && text.startsWith("Failed to load resource: the server responded with a status of " + expectedStatus)
                && location != null && location.matches("https?://[^/]+" + Pattern.quote(expectedUrl) + "(:\\d+:\\d+)?");
    }

    private synchronized void record(String error) {
        errors.add(page.url() + ": " + error);
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }
}
