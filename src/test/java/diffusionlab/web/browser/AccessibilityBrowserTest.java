package diffusionlab.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What a keyboard and a screen reader get: a way past the form, the slider's t, pictures in words, readable text. */
class AccessibilityBrowserTest extends BrowserTest {
    private static final String RUN = """
            {"name": "described", "dataset": "moons", "datasetSize": 2000, "timesteps": 40, "hidden": 16,
             "steps": 3000, "batchSize": 128}""";

    @Test
    void theFirstTabOnTheStartPageOffersASkipLinkToStartTraining() {
        Page page = open(newContext(), "/");
        page.keyboard().press("Tab");
        assertThat(page.locator(".skip-link")).isFocused();
        assertThat(page.locator(".skip-link")).isInViewport();
        page.keyboard().press("Enter");
        assertThat(page.locator("#start")).isFocused();
        assertNoConsoleErrors();
    }

    @Test
    void theTimeSliderAndThePicturesSayWhatTheyShow() {
        String id = server.createRun(RUN);
        Page page = open(newContext(), "/runs/" + id);
        await("the samples are drawn", () -> Dom.painted(page, "#samples-canvas", Dom.REVERSE).count() > 200);
        for (String canvas : List.of("#big-forward", "#big-reverse", "#big-field", "#samples-canvas", "#loss-chart",
                "#metric-chart", "#sampler-canvas")) {
            assertEquals("img", page.getAttribute(canvas, "role"), canvas);
        }
        assertThat(page.locator("#samples-canvas")).hasAttribute("aria-label",
                Pattern.compile("2,000 samples at training step [\\d,]+, over the training data"));
        assertThat(page.locator("#loss-chart")).hasAttribute("aria-label",
                Pattern.compile("Loss by training step: [\\d.]+ at step [\\d,]+"));

        page.focus("#t-slider");
        page.keyboard().press("End");
        assertThat(page.locator("#t-slider")).hasAttribute("aria-valuetext", "t = 40");
        assertThat(page.locator("#big-forward")).hasAttribute("aria-label",
                "Forward process at t = 40: 2,000 points of the data with noise");
        page.keyboard().press("Home");
        assertThat(page.locator("#t-slider")).hasAttribute("aria-valuetext", "t = 0");
        assertThat(page.locator("#big-forward")).hasAttribute("aria-label",
                "Forward process at t = 0: 2,000 points of the data with noise");
        assertThat(page.locator("#big-reverse")).hasAttribute("aria-label",
                Pattern.compile("Reverse chain at t = 0: 2,000 points from the model at training step [\\d,]+"));
        assertNoConsoleErrors();
    }

    @Test
    void theFieldsThatDoNotApplyAreDimmedButStayReadable() {
        Page page = open(newContext(), "/");
        page.selectOption("#f-objective", "ddpm_simple"); // sigma (dsm only) and Langevin's settings do not apply
        assertThat(page.locator(".field[data-field=sigma]")).hasClass(Pattern.compile("\\birrelevant\\b"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> texts = (List<Map<String, Object>>) page.evaluate(CONTRAST);
        assertTrue(texts.size() > 10, "the dimmed fields' texts: " + texts);
        for (Map<String, Object> text : texts) {
            assertTrue(((Number) text.get("ratio")).doubleValue() >= 4.5, "contrast under 4.5:1: " + text);
        }
        screenshot(page, "form-dimmed-fields");
        assertNoConsoleErrors();
    }

    /**
     * The contrast of every text in a dimmed field: its colour, with every opacity on the way up, over the first
     * opaque background behind it (WCAG 2's relative luminance).
     */
    private static final String CONTRAST = """
            () => {
              const rgba = (c) => c.match(/[\\d.]+/g).map(Number).concat(1).slice(0, 4);
              const lum = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
              const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
              const out = [];
              for (const el of document.querySelectorAll('.field.irrelevant label span, .field.irrelevant .help, '
                  + '.field.irrelevant input, .field.irrelevant select')) {
                let alpha = 1, back = null;
                for (let e = el; e; e = e.parentElement) {
                  const style = getComputedStyle(e);
                  alpha *= Number(style.opacity);
                  const bg = rgba(style.backgroundColor);
                  if (!back && bg[3] === 1) back = bg;
                }
                back = back || [255, 255, 255, 1];
                const fg = rgba(getComputedStyle(el).color);
                const a = alpha * fg[3];
                const seen = [0, 1, 2].map((i) => a * fg[i] + (1 - a) * back[i]);
                const [hi, lo] = [lum(seen), lum(back)].sort((x, y) => y - x);
                out.push({ text: (el.textContent || el.value).trim().slice(0, 30), ratio: (hi + 0.05) / (lo + 0.05) });
              }
              return out;
            }""";
}
