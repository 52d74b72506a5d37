package diffusionlab.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.microsoft.playwright.options.RequestOptions;
import diffusionlab.web.TestServer;
import diffusionlab.web.browser.Dom.Series;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveRunsBrowserTest extends BrowserTest {
    static final String RUN = """
            {"name": "shared with a friend", "dataset": "circles", "datasetSize": 2000, "timesteps": 40,
             "hidden": 32, "steps": 20000, "batchSize": 1024}""";

    @Test
    void theShareLinkShowsTheSameRunLiveAndReadOnlyInAnotherBrowser() {
        BrowserContext ownerBrowser = newContext();
        APIResponse created = ownerBrowser.request().post("/api/runs", RequestOptions.create()
                .setHeader("Content-Type", "application/json").setHeader("X-Requested-With", "fetch").setData(RUN));
        assertEquals(201, created.status(), created.text());
        String url = parse(created.text()).get("url").asText();
        Page owner = open(ownerBrowser, url);
        owner.waitForSelector("#live-indicator.on");
        assertEquals(4, owner.locator("#controls [data-action]").count(), "the owner has the controls");
        String link = owner.inputValue("#share-link");
        assertEquals("http://localhost:" + server.web.port() + url, link);

        // a friend's browser: another cookie jar
        Page friend = open(newContext(), link);
        friend.waitForSelector("#live-indicator.on");
        assertEquals("shared with a friend", friend.textContent("#run-name").strip());
        assertEquals(owner.textContent("#run-name"), friend.textContent("#run-name"));
        assertEquals("false", friend.getAttribute("#dashboard", "data-owner"));
        assertEquals(0, friend.locator("#controls").count(), "no pause, resume, stop or delete for a viewer");
        assertEquals(0, friend.locator("[data-action]").count());

        // it trains before the friend's eyes
        await("the run trains", () -> Dom.step(friend) > 0);
        long seen = Dom.step(friend);
        await("the friend's step counter moves on from " + seen, () -> Dom.step(friend) > seen);
        await("the friend sees the loss curve", () -> Dom.chart(friend, "loss-chart").stream()
                .anyMatch(s -> !s.raw() && s.steps().size() >= 3));
        await("the friend sees the forward frames", () -> Dom.painted(friend, "#big-forward", Dom.FORWARD).count() > 200);
        await("the friend sees the reverse chain", () -> Dom.painted(friend, "#big-reverse", Dom.REVERSE).count() > 200);

        // the owner pauses: the friend sees it, and the counter stands still
        owner.click("#controls [data-action=pause]");
        friend.waitForSelector("#run-state.state-paused");
        long paused = Dom.step(friend);
        friend.waitForTimeout(600);
        assertEquals(paused, Dom.step(friend), "a paused run does not advance");
        screenshot(friend, "shared-dashboard-viewer-paused");

        owner.click("#controls [data-action=resume]");
        friend.waitForSelector("#run-state.state-running");
        await("the step counter moves on after resume", () -> Dom.step(friend) > paused);

        owner.click("#controls [data-action=stop]");
        friend.waitForSelector("#run-state.state-stopped");
        owner.waitForSelector("#run-state.state-stopped");
        assertTrue(owner.isDisabled("#controls [data-action=stop]"), "a stopped run cannot be stopped again");
        assertEquals(Dom.step(owner), Dom.step(friend), "both see the same last step");
        screenshot(owner, "shared-dashboard-owner");
        screenshot(friend, "shared-dashboard-viewer");
        assertNoConsoleErrors();
    }

    @Test
    void theComparePageOverlaysTheLossCurvesOfTwoLiveRunsAndOneSliderMovesTheFramesOfBoth() {
        String first = server.createRun(run("first, T = 20", "moons", "ddpm_simple", 20));
        String second = server.createRun(run("second, T = 40", "gaussians8", "ddpm_vlb", 40));
        Page page = open(newContext(), "/compare?runs=" + first + "," + second);
        for (String id : new String[] {first, second}) {
            page.waitForSelector(legend(id) + " .state-running");
        }

        // one loss curve per run on shared axes (each with its faint raw copy), growing while they train
        await("both loss curves have points", () -> curves(page).stream().allMatch(s -> s.steps().size() >= 3));
        List<Series> curves = curves(page);
        assertEquals(List.of("first, T = 20", "second, T = 40"), curves.stream().map(Series::label).toList());
        int before = curves.get(1).steps().size();
        longTasksWhileLive(page, 2000, "compare-two-runs");
        await("the second curve grows", () -> curves(page).get(1).steps().size() > before);
        await("both curves are drawn", () -> Dom.painted(page, "#loss-chart", Dom.FIRST_SERIES).count() > 100
                && Dom.painted(page, "#loss-chart", Dom.SECOND_SERIES).count() > 100);

        // the forward frames and reverse chains of both, at the slider's t
        for (String id : new String[] {first, second}) {
            await("the forward frame of " + id, () -> Dom.painted(page, picture(id, "forward"), Dom.FORWARD).count() > 100);
            await("the reverse chain of " + id, () -> Dom.painted(page, picture(id, "reverse"), Dom.REVERSE).count() > 100);
            assertThat(page.locator(column(id) + " [data-role=forward-t]")).hasText("t = 0"); // the slider starts at the data
        }
        String forwardFirst = Dom.signature(page, picture(first, "forward"), 0);
        String forwardSecond = Dom.signature(page, picture(second, "forward"), 0);

        page.focus("#t-slider");
        page.keyboard().press("Home"); // the left end: the noise
        assertThat(page.locator("#t-value")).hasText("noise");
        assertThat(page.locator(column(first) + " [data-role=forward-t]")).hasText("t = 20");
        assertThat(page.locator(column(second) + " [data-role=forward-t]")).hasText("t = 40");
        assertThat(page.locator(column(first) + " [data-role=reverse-t]")).hasText("t = 20");
        assertThat(page.locator(column(second) + " [data-role=reverse-t]")).hasText("t = 40");
        await("the slider redraws the first run's frame",
                () -> !Dom.signature(page, picture(first, "forward"), 0).equals(forwardFirst));
        await("the slider redraws the second run's frame",
                () -> !Dom.signature(page, picture(second, "forward"), 0).equals(forwardSecond));
        assertTrue(Dom.painted(page, picture(first, "forward"), Dom.FORWARD).count() > 100);
        assertTrue(Dom.painted(page, picture(second, "forward"), Dom.FORWARD).count() > 100);

        page.keyboard().press("ArrowRight");
        assertThat(page.locator(column(first) + " [data-role=forward-t]")).hasText("t = 18");
        assertThat(page.locator(column(second) + " [data-role=forward-t]")).hasText("t = 36");

        for (String id : new String[] {first, second}) {
            server.post(server.owner, "/api/runs/" + id + "/stop", null);
            page.waitForSelector(legend(id) + " .state-stopped, " + legend(id) + " .state-done");
        }
        screenshot(page, "compare-two-runs");
        assertNoConsoleErrors();
    }

    @Test
    void theRunStateUnpacksEachPictureOnceByKindAndSaysWhatChanged() {
        Page page = open(newContext(), "/");
        // a viewer who connects before the run starts: a snapshot with no pictures, then the training data, the
        // forward frames, a field, loss points, quality against sampling steps, and a message of no known picture kind
        String result = (String) page.evaluate("""
                async () => {
                  const { initialRunState, reduce } = await import('/static/js/run-state.js');
                  const cloud = { n: 2, min: [0, 0], max: [65534, 65534], q: btoa(String.fromCharCode(1, 0, 2, 0, 3, 0, 255, 255)) };
                  const empty = { steps: [], values: [] };
                  const messages = [
                    { type: 'snapshot', status: { state: 'queued' }, config: {}, timesteps: 20, loss: empty, metric: empty },
                    { type: 'data', cloud },
                    { type: 'frames', kind: 'forward', trainingStep: 0, ts: [0, 20], clouds: [cloud, cloud] },
                    { type: 'field', trainingStep: 5, ts: [0], size: 1, min: 0, max: 1, vectors: [cloud] },
                    { type: 'loss', steps: [2, 4], values: [0.5, 0.4], at: 0 },
                    { type: 'quality', trainingStep: 7, sampler: 'ddim', points: 10, evaluations: [1, 20],
                      distances: [0.5, null], straightness: 0.1 },
                    { type: 'frames', kind: 'sideways', clouds: [cloud] },
                  ];
                  let state = initialRunState();
                  const changes = [];
                  for (const message of messages) {
                    const before = state;
                    const next = reduce(state, message);
                    state = next.state;
                    changes.push([...next.changed].sort().join(' ') + (state === before ? ' (same state)' : ''));
                  }
                  const p = state.pictures;
                  return JSON.stringify({ changes, data: Array.from(p.data, String), forward: p.forward.clouds.length,
                    field: p.field.vectors[0].length, loss: state.loss, status: state.status.state, quality: p.quality });
                }""");
        JsonNode json = parse(result);
        List<String> changes = new ArrayList<>();
        json.get("changes").forEach(change -> changes.add(change.asText()));
        assertEquals(List.of("config field forward loss metric motion quality reverse samples status", "data", "forward",
                "field", "loss", "quality", " (same state)"), changes);
        assertEquals("{\"trainingStep\":7,\"sampler\":\"ddim\",\"points\":10,\"evaluations\":[1,20],"
                + "\"distances\":[0.5,null],\"straightness\":0.1}", json.get("quality").toString());
        assertEquals("[\"1\",\"2\",\"3\",\"NaN\"]", json.get("data").toString(), "unpacked, 65535 is missing");
        assertEquals(2, json.get("forward").asInt());
        assertEquals(4, json.get("field").asInt());
        assertEquals("{\"steps\":[2,4],\"values\":[0.5,0.4],\"whole\":false}", json.get("loss").toString());
        assertEquals("queued", json.get("status").asText());
        assertNoConsoleErrors();
    }

    @Test
    void anAnswerToStopThatArrivesAfterTheSocketsNewsNeverUndoesIt() {
        BrowserContext ownerBrowser = newContext();
        APIResponse created = ownerBrowser.request().post("/api/runs", RequestOptions.create()
                .setHeader("Content-Type", "application/json").setHeader("X-Requested-With", "fetch").setData(RUN));
        assertEquals(201, created.status(), created.text());
        String id = parse(created.text()).get("id").asText();
        Page owner = open(ownerBrowser, "/runs/" + id);
        owner.waitForSelector("#run-state.state-running");
        // the answer is held back until the run has ended and the socket has had time to say so, and it says
        // "running", as an answer computed just before the stop took effect does
        owner.route("**/api/runs/" + id + "/stop", route -> {
            String stale = route.fetch().text().replaceFirst("\"state\"\\s*:\\s*\"[a-z]+\"", "\"state\":\"running\"");
            server.awaitState(id, WAIT, "stopped");
            TestServer.sleep(1500);
            route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("application/json").setBody(stale));
        });

        owner.click("#controls [data-action=stop]");
        owner.waitForSelector("#run-state.state-stopped");
        owner.waitForTimeout(1000); // the held-back answer has arrived by now
        assertEquals("state state-stopped", owner.getAttribute("#run-state", "class"));
        assertNoConsoleErrors();
    }

    @Test
    void theRunListFollowsTheRunsInPlaceAndKeepsWhatIsSelected() {
        String watched = server.createRun(RUN.replace("shared with a friend", "watched from the list"));
        server.awaitState(watched, WAIT, "running"); // a queued run cannot be paused: it may wait for a slot
        assertEquals(200, server.post(server.owner, "/api/runs/" + watched + "/pause", null).statusCode());
        server.awaitState(watched, WAIT, "paused");
        String doomed = server.createRun(RUN.replace("shared with a friend", "to be deleted"));
        server.post(server.owner, "/api/runs/" + doomed + "/stop", null);
        server.awaitState(doomed, WAIT, "stopped");

        Page home = open(newContext(), "/");
        String row = "#runs-body tr[data-id=\"" + watched + "\"]";
        assertThat(home.locator(row + " .state")).hasText("paused");
        home.evaluate("row => document.querySelector(row).dataset.mark = 'rendered by the server'", row);
        home.check(row + " input[type=checkbox]");
        assertThat(home.locator("#compare-selected")).hasText("Compare selected (1)");

        server.post(server.owner, "/api/runs/" + watched + "/stop", null);
        String added = server.createRun(TestServer.TINY.replace("tiny", "started after the page"));
        assertEquals(204, server.send(server.owner, "DELETE", "/api/runs/" + doomed, null).statusCode());

        assertThat(home.locator(row + " .state")).hasText("stopped", new LocatorAssertions.HasTextOptions()
                .setTimeout(WAIT.toMillis()));
        home.waitForSelector("#runs-body tr[data-id=\"" + added + "\"]");
        home.waitForSelector("#runs-body tr[data-id=\"" + doomed + "\"]", new Page.WaitForSelectorOptions()
                .setState(WaitForSelectorState.DETACHED));
        assertEquals("rendered by the server", home.getAttribute(row, "data-mark"), "the row was updated, not rebuilt");
        assertTrue(home.isChecked(row + " input[type=checkbox]"), "the selection survives the refresh");
        assertThat(home.locator("#compare-selected")).hasText("Compare selected (1)");
        assertEquals(server.json(server.get("/api/runs")).size(), home.locator("#runs-body tr").count());
        assertNoConsoleErrors();
    }

    @Test
    void theThreePagesLogNoConsoleErrors() {
        String id = server.createRun(run("finished", "spiral", "ddpm_simple", 20).replace("20000", "300"));
        server.awaitState(id, WAIT, "done");
        BrowserContext context = newContext();

        Page home = open(context, "/");
        home.waitForSelector("#runs-body tr[data-id=\"" + id + "\"]");
        await("the schedule preview", () -> !home.textContent("#alphabar-value").contains("…"));
        screenshot(home, "console-home");

        Page dashboard = open(context, "/runs/" + id);
        dashboard.waitForSelector("#run-state.state-done");
        await("the pictures", () -> Dom.painted(dashboard, "#samples-canvas", Dom.REVERSE).count() > 100);
        screenshot(dashboard, "console-dashboard");

        Page compare = open(context, "/compare?runs=" + id);
        compare.waitForSelector(legend(id) + " .state-done");
        await("the pictures", () -> Dom.painted(compare, picture(id, "samples"), Dom.REVERSE).count() > 100);
        screenshot(compare, "console-compare");

        assertNoConsoleErrors();
    }

    private static String run(String name, String dataset, String objective, int timesteps) {
        return """
                {"name": "%s", "dataset": "%s", "objective": "%s", "datasetSize": 2000, "timesteps": %d,
                 "hidden": 32, "steps": 20000, "batchSize": 1024}""".formatted(name, dataset, objective, timesteps);
    }

    private static List<Series> curves(Page page) {
        return Dom.chart(page, "loss-chart").stream().filter(s -> !s.raw()).toList();
    }

    private static String legend(String id) {
        return ".legend-item[data-run-id=\"" + id + "\"]";
    }

    private static String column(String id) {
        return ".compare-column[data-run-id=\"" + id + "\"]";
    }

    private static String picture(String id, String role) {
        return column(id) + " canvas[data-role=" + role + "]";
    }
}
