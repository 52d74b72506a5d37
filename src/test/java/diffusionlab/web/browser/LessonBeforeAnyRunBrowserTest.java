package diffusionlab.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import diffusionlab.web.lesson.LessonSection;
import org.junit.jupiter.api.Test;

/**
 * The lesson on a server that has trained nothing yet (a teacher's first look): every section's live view draws
 * what needs no model, its preset's data, and the forward process where there is one, instead of empty boxes;
 * opening it starts no run.
 */
class LessonBeforeAnyRunBrowserTest extends BrowserTest {
    /** Pixels of the live view's canvases that are not transparent. */
    private static int inked(Page page) {
        return Dom.inked(page, "#lesson-view canvas", 21, false);
    }

    @Test
    void everySectionDrawsItsPresetsDataBeforeAnyRunAndTheForwardSectionItsForwardProcess() {
        BrowserContext phone = newPhoneContext();
        BrowserContext withoutPreview = newPhoneContext(); // what the sections showed before: the placeholders only
        withoutPreview.route("**/api/lesson/*/preview", route -> route.abort());
        for (LessonSection section : LessonSection.values()) {
            String name = "lesson-before-any-run-" + section.id();
            Page bare = withoutPreview.newPage(); // not watched for console errors: its preview is refused on purpose
            bare.navigate(section.path());
            bare.waitForSelector("#lesson .katex");
            bare.waitForTimeout(300);
            int placeholders = inked(bare);
            bare.close();

            Page page = open(phone, section.path());
            page.waitForSelector("#lesson[data-preview-at]");
            await(name + " draws the data", () -> inked(page) > placeholders + 20_000);
            System.out.println("[lesson-before-any-run] " + section.id() + ": typeset at "
                    + page.locator("#lesson").getAttribute("data-typeset-at") + " ms, the preview drawn at "
                    + page.locator("#lesson").getAttribute("data-preview-at") + " ms after navigation");
            assertTrue(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth").equals(true),
                    name + " fits the phone");
            if (section == LessonSection.FORWARD || section == LessonSection.DDPM) {
                screenshot(page, name + "-phone");
            }
            if (section == LessonSection.FORWARD) {
                assertTrue(Dom.painted(page, "#lesson-view canvas", 0, Dom.FORWARD).count() > 500,
                        "q(x_t) at t = T in the forward process' colour");
                page.locator(".strip canvas").first().click(); // t = 0: the data itself
                assertThat(page.locator("#lesson-view figcaption").first()).containsText("t = 0 of 100");
            }
            if (section == LessonSection.LANGEVIN) {
                page.click("text=Walk again");
                assertThat(page.locator("#lesson-view .field-error")).containsText("press “Run it” first");
            }
            page.close();
        }
        assertEquals(0, server.registry.list().size(), "opening the lesson starts no run");
        assertNoConsoleErrors();
    }
}
