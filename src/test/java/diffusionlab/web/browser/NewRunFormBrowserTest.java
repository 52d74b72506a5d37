package diffusionlab.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.BoundingBox;
import diffusionlab.web.browser.Dom.Paint;
import diffusionlab.web.browser.Dom.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NewRunFormBrowserTest extends BrowserTest {
    private static final Pattern DASHBOARD = Pattern.compile(".*/runs/[^/]+$");

    @Test
    void aRunStartedFromTheFormOpensItsDashboardWhereTheLossChartAndThePicturesUpdateLive() {
        Page page = open(newContext(), "/");
        page.fill("#f-name", "from the form");
        page.selectOption("#f-dataset", "moons");
        page.fill("#f-datasetSize", "2000");
        page.fill("#f-timesteps", "30");
        page.fill("#f-hidden", "32");
        page.fill("#f-steps", "5000");
        page.fill("#f-batchSize", "1024"); // a thousand steps a second: a few seconds to watch
        page.click("#start");

        page.waitForURL(DASHBOARD);
        assertEquals("from the form", page.textContent("#run-name").strip());
        assertEquals("true", page.getAttribute("#dashboard", "data-owner"), "the browser that started it owns it");
        page.waitForSelector("#live-indicator.on");

        // the step counter counts up while the run trains
        await("the run trains", () -> Dom.step(page) > 0);
        long first = Dom.step(page);
        await("the step counter moves on from " + first, () -> Dom.step(page) > first);

        // the loss chart has points, in step order, and draws them
        await("the loss chart has points", () -> lossPoints(page) >= 5);
        int points = lossPoints(page);
        longTasksWhileLive(page, 2000, "form-run-dashboard");
        note("form-run-dashboard: " + (lossPoints(page) - points) + " loss points arrived in those 2 s");
        Series loss = Dom.chart(page, "loss-chart").stream().filter(s -> !s.raw()).findFirst().orElseThrow();
        for (int i = 1; i < loss.steps().size(); i++) {
            assertTrue(loss.steps().get(i) > loss.steps().get(i - 1), "loss points in step order");
        }
        await("the loss curve is drawn", () -> Dom.painted(page, "#loss-chart", Dom.FIRST_SERIES).count() > 100);

        // q(x_t | x_0): the big picture and the ten small ones are drawn
        await("the forward picture is drawn", () -> Dom.painted(page, "#big-forward", Dom.FORWARD).count() > 200);
        for (int i = 0; i < 10; i++) {
            int frame = i;
            await("forward frame " + i + " is drawn",
                    () -> Dom.painted(page, "#forward-strip canvas", frame, Dom.FORWARD).count() > 20);
        }
        // the reverse chain appears after a moment of training and is redrawn as the model learns
        await("the reverse chain is drawn", () -> Dom.painted(page, "#big-reverse", Dom.REVERSE).count() > 200);
        String reverse = Dom.signature(page, "#big-reverse", 0);
        // redrawn while training goes on; the last redraw comes before the run reports done, so a run that
        // ended with its final picture already on screen has nothing left to redraw
        await("the reverse chain is redrawn", () -> !Dom.signature(page, "#big-reverse", 0).equals(reverse)
                || page.locator("#run-state.state-done").count() > 0);
        await("the samples are drawn", () -> Dom.painted(page, "#samples-canvas", Dom.REVERSE).count() > 200);

        page.waitForSelector("#run-state.state-done");
        assertEquals(5000, Dom.step(page));
        screenshot(page, "form-run-dashboard");
        assertNoConsoleErrors();
    }

    @Test
    void everyFieldOutOfItsRangeIsReportedAtOnceInTheFormsWordsWithoutAskingTheServer() {
        Page page = open(newContext(), "/");
        List<String> sent = new ArrayList<>();
        page.onRequest(r -> {
            if (r.url().endsWith("/api/runs") && r.method().equals("POST")) {
                sent.add(r.url());
            }
        });
        page.fill("#f-timesteps", "1");
        page.fill("#f-betaEnd", "1.5");
        page.click("#start");

        assertThat(page.locator(".field[data-field=timesteps] .field-error")).hasText("Diffusion steps must be at least 2");
        assertThat(page.locator(".field[data-field=betaEnd] .field-error")).hasText("Last beta must be at most 0.999");
        assertEquals(2, page.locator(".field-error:visible").count(), "only those fields show an error");
        assertThat(page.locator("#f-betaEnd")).hasAttribute("aria-invalid", "true");
        // the summary above the form lists both, links to the fields and has the focus
        assertThat(page.locator("#error-summary")).isFocused();
        assertThat(page.locator("#error-summary h2")).hasText("2 fields need a change");
        assertThat(page.locator("#error-summary a")).hasText(new String[] {
            "Diffusion steps must be at least 2", "Last beta must be at most 0.999"});
        // the schedule preview says so too, without asking the server (no 400 in the console)
        assertThat(page.locator("#alphabar-message")).containsText("timesteps");
        screenshot(page, "form-two-bad-values");
        assertEquals(List.of(), sent, "nothing is sent while a field is out of its range");

        page.click("#error-summary a >> nth=1");
        assertThat(page.locator("#f-betaEnd")).isFocused();
        page.fill("#f-betaEnd", "0.1");
        assertThat(page.locator(".field[data-field=betaEnd] .field-error")).isHidden(); // correcting it clears its error
        assertNoConsoleErrors();
    }

    @Test
    void aBadValueOnlyTheServerCanSpotShowsItsErrorNextToItsField() {
        Page page = open(newContext(), "/");
        console(page).expectFailedLoad(400, "/api/runs");
        page.fill("#f-datasetSize", "100");
        page.fill("#f-batchSize", "1024"); // each is in its range, but a batch must fit in the data

        Response response = page.waitForResponse(r -> r.url().endsWith("/api/runs") && r.request().method().equals("POST"),
                () -> page.click("#start"));

        assertEquals(400, response.status());
        Locator error = page.locator(".field[data-field=batchSize] .field-error");
        assertThat(error).containsText("batchSize must be between 2 and the dataset size (100)");
        assertTrue(page.locator(".field[data-field=batchSize]").getAttribute("class").contains("invalid"));
        assertEquals(1, page.locator(".field-error:visible").count(), "only that field shows an error");
        assertThat(page.locator("#error-summary")).isFocused();
        assertTrue(page.url().endsWith("/"), "still on the form");
        assertTrue(page.isEnabled("#start"), "the form can be sent again");
        screenshot(page, "form-bad-value");

        page.fill("#f-batchSize", "64");
        assertThat(error).isHidden(); // correcting the value clears its error
        assertNoConsoleErrors();
    }

    @Test
    void pointsDrawnWithTheMouseAreTheTrainingDataOfTheNewRun() {
        Page page = open(newContext(), "/");
        page.selectOption("#f-dataset", "points");
        page.waitForSelector("#points-canvas");

        // a horizontal stroke at y = 1 from x = -1.5 to x = 1.5 ([-2, 2] spans the canvas)
        page.locator("#points-canvas").scrollIntoViewIfNeeded();
        BoundingBox box = page.locator("#points-canvas").boundingBox();
        double border = ((Number) page.evaluate("() => document.getElementById('points-canvas').clientLeft")).doubleValue();
        double inner = box.width - 2 * border;
        double x0 = box.x + border, y0 = box.y + border;
        page.mouse().move(x0 + inner * (-1.5 + 2) / 4, y0 + inner * (2 - 1.0) / 4);
        page.mouse().down();
        page.mouse().move(x0 + inner * (1.5 + 2) / 4, y0 + inner * (2 - 1.0) / 4, new Mouse.MoveOptions().setSteps(40));
        page.mouse().up();
        int drawn = Integer.parseInt(page.textContent("#points-count").replaceAll("[^0-9]", ""));
        assertTrue(drawn >= 10, "drawn " + drawn + " points");
        screenshot(page, "form-drawn-points");

        page.fill("#f-name", "drawn by hand");
        page.fill("#f-timesteps", "20");
        page.fill("#f-hidden", "32");
        page.fill("#f-steps", "2000");
        page.fill("#f-batchSize", "16");
        Request sent = page.waitForRequest(r -> r.url().endsWith("/api/runs") && r.method().equals("POST"),
                () -> page.click("#start"));

        // the request carries the points where the mouse went
        JsonNode points = parse(sent.postData()).get("points");
        assertEquals(drawn, points.size());
        double meanY = 0;
        for (JsonNode p : points) {
            assertTrue(Math.abs(p.get(0).asDouble()) < 1.6, "x within the stroke: " + p);
            assertTrue(Math.abs(p.get(1).asDouble() - 1) < 0.06, "y on the stroke: " + p);
            meanY += p.get(1).asDouble() / points.size();
        }
        assertEquals(1.0, meanY, 0.015, "the points are centred on the pointer");

        page.waitForURL(DASHBOARD);
        assertEquals("drawn by hand", page.textContent("#run-name").strip());
        await("the run starts", () -> Dom.step(page) > 0);

        // t = 0 of the forward process is the data: a thin horizontal line above the middle, across it
        assertThat(page.locator("#t-value")).hasText("t = 0");
        await("the forward picture is drawn", () -> Dom.painted(page, "#big-forward", Dom.FORWARD).count() > 50);
        Paint line = Dom.painted(page, "#big-forward", Dom.FORWARD);
        assertTrue(line.maxY() < line.height() / 2, "above the middle: " + line);
        assertTrue(line.minX() < line.width() / 2 && line.maxX() > line.width() / 2, "across the middle: " + line);
        assertTrue(line.spanX() > 6 * line.spanY(), "a thin horizontal line: " + line);
        assertEquals(line.width() / 2.0, line.centerX(), line.width() * 0.05, "centred like the stroke: " + line);
        // y = 1 in a box of half-width 3.2 around 0
        assertEquals(line.height() / 2.0 * (1 - 1 / 3.2), line.centerY(), line.height() * 0.03, "at y = 1: " + line);

        // at t = T it is noise, all over the picture
        page.focus("#t-slider");
        page.keyboard().press("End");
        assertThat(page.locator("#t-value")).hasText("t = 20");
        await("the last forward frame is drawn", () -> Dom.painted(page, "#big-forward", Dom.FORWARD).spanY() > line.spanY() * 4);
        Paint noise = Dom.painted(page, "#big-forward", Dom.FORWARD);
        assertTrue(noise.maxY() > noise.height() / 2, "noise reaches below the middle: " + noise);
        page.keyboard().press("Home");
        assertThat(page.locator("#t-value")).hasText("t = 0");

        screenshot(page, "drawn-points-dashboard");
        assertNoConsoleErrors();
    }

    private static int lossPoints(Page page) {
        return Dom.chart(page, "loss-chart").stream().filter(s -> !s.raw()).mapToInt(s -> s.steps().size()).sum();
    }

    @Test
    void theLossVariantsTrainTheStepsTypedInTheForm() {
        Page page = open(newContext(), "/");
        page.fill("#f-steps", "400");
        Response response = page.waitForResponse(
                r -> r.url().endsWith("/api/compare/loss-variants") && r.request().method().equals("POST"),
                () -> page.click("#loss-variants"));

        assertEquals(201, response.status());
        page.waitForURL(Pattern.compile(".*/compare\\?runs=.*"));
        String[] ids = page.url().replaceFirst(".*runs=", "").split(",");
        assertEquals(diffusionlab.training.Presets.LOSS_VARIANTS.length, ids.length);
        for (String id : ids) {
            var run = server.registry.get(id).orElseThrow();
            assertEquals(400, run.config().experiment().steps(), run.config().name() + " trains the typed steps");
            run.stop();
        }
    }
}
