package diffusionlab.web.pages;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.training.ConfigParser;
import diffusionlab.training.Presets;
import diffusionlab.web.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PagesTest {
    private static final String EVIL = "<script>alert(1)</script> & \\\"quotes\\\"";
    @RegisterExtension
    static final TestServer server = TestServer.start();
    private static String run;

    @BeforeAll
    static void createRuns() {
        run = server.createRun(TINY.replace("\"name\": \"tiny\"", "\"name\": \"" + EVIL + "\""));
    }

    @Test
    void theStartPageHasEveryPresetAndEveryOptionOfTheConfig() {
        HttpResponse<String> page = server.get("/");

        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        String html = page.body();
        Presets.all().values().forEach(p -> assertTrue(html.contains("data-preset=\"" + p.id() + "\""), p.id()));
        assertTrue(html.contains("Notebook: DDPM (noise loss + EMA)"));
        for (String field : ConfigParser.FIELDS) {
            if (!field.equals("points") && !field.equals("preset") && !field.equals("reflowFrom")) {
                assertTrue(html.contains("name=\"" + field + "\""), "the form has " + field);
            }
        }
        assertTrue(html.contains("id=\"points-canvas\""));
        assertTrue(html.contains("Compare the loss variants"));
        assertTrue(html.matches("(?s).*<script type=\"module\" src=\"/static/[0-9a-f]{12}/js/form\\.js\">.*"));
    }

    @Test
    void userTextIsEscapedOnEveryPage() {
        String home = server.get("/").body();
        String dashboard = server.get("/runs/" + run).body();
        String compare = server.get("/compare?runs=" + run).body();

        for (String html : new String[] {home, dashboard, compare}) {
            assertFalse(html.contains("<script>alert(1)"), "no user markup reaches the page");
            assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        }
    }

    @Test
    void theComparePageLeadsWithAResultsTableOfEveryRunAndTheQualityFloorOfItsData() {
        String other = server.createRun(TINY.replace("\"name\": \"tiny\"", "\"name\": \"ssm\", \"objective\": \"ssm\"")
                .replace("moons", "gaussians8"));
        String html = server.get("/compare?runs=" + run + "," + other).body();

        int table = html.indexOf("id=\"results-table\"");
        assertTrue(table > 0 && table < html.indexOf("id=\"loss-chart\""), "the results come before the charts");
        assertTrue(html.contains("<tr data-run-id=\"" + run + "\""));
        assertTrue(html.contains("<tr data-run-id=\"" + other + "\""));
        assertTrue(html.contains(ObjectiveNotes.why(ObjectiveKind.DDPM_SIMPLE)), "the sentence of ddpm_simple");
        assertTrue(html.contains(ObjectiveNotes.why(ObjectiveKind.SSM)), "the sentence of ssm");
        for (String dataset : new String[] {"moons", "gaussians8"}) { // one reference row per data set
            assertTrue(html.matches("(?s).*<tr class=\"floor\" data-dataset=\"" + dataset + "\" data-floor=\"0\\.\\d+\".*"),
                    "the floor of " + dataset);
        }
        assertTrue(html.contains("Progress from noise (left) to data (right)"));
    }

    @Test
    void theDashboardShowsTheControlsOnlyToTheOwner() {
        String owner = server.send(server.owner, "GET", "/runs/" + run, null).body();
        String viewer = server.get("/runs/" + run).body();

        assertTrue(owner.contains("data-action=\"pause\""));
        assertTrue(owner.contains("data-owner=\"true\""));
        assertFalse(viewer.contains("data-action=\"pause\""));
        assertTrue(viewer.contains("data-owner=\"false\""));
        assertTrue(viewer.contains("/webjars/chart.js/4.4.1/dist/chart.umd.js"));
        assertTrue(viewer.contains("q(x<sub>t</sub> | x<sub>0</sub>)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/runs/nosuchrun", "/compare?runs=nosuchrun", "/no/such/page"})
    void anUnknownRunOrPageIsA404Page(String path) {
        HttpResponse<String> page = server.get(path);

        assertEquals(404, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(page.body().contains("Not found"));
    }

    @Test
    void theComparePageNeedsOneRunAndAtMostOneColumnPerLossVariant() {
        String tooMany = run + java.util.stream.IntStream.range(0, ComparePage.MAX_RUNS)
                .mapToObj(i -> ",r" + i).collect(java.util.stream.Collectors.joining());

        assertEquals(400, server.get("/compare").statusCode());
        assertEquals(400, server.get("/compare?runs=" + tooMany).statusCode());
        assertEquals(200, server.get("/compare?runs=" + run + "," + run).statusCode(), "duplicates count once");
    }

    @Test
    void theScriptsStylesAndChartJsAreServedByTheAppItself() {
        for (String path : new String[] {"/static/css/app.css", "/static/js/dashboard.js", "/static/js/compare.js",
                "/static/js/form.js", "/static/js/run-state.js", "/static/js/wire.js", "/static/favicon.svg",
                "/webjars/chart.js/4.4.1/dist/chart.umd.js"}) {
            HttpResponse<String> response = server.get(path);
            assertEquals(200, response.statusCode(), path);
        }
        assertTrue(server.get("/static/js/dashboard.js").headers().firstValue("Content-Type").orElseThrow()
                .contains("javascript"));
        assertTrue(server.get("/webjars/chart.js/4.4.1/dist/chart.umd.js").body().contains("Chart"));
    }

    @Test
    void everyPageLinksItsFilesUnderAContentHashTheBrowserMayKeepForAYear() {
        for (String page : new String[] {"/", "/runs/" + run, "/compare?runs=" + run, "/no-such-page"}) {
            java.util.regex.Matcher links = java.util.regex.Pattern.compile("(?:src|href)=\"(/static/[^\"]+)\"")
                    .matcher(server.get(page).body());
            int count = 0;
            while (links.find()) {
                String url = links.group(1);
                assertTrue(url.matches("/static/[0-9a-f]{12}/.+"), page + " links " + url);
                HttpResponse<String> file = server.get(url);
                assertEquals(200, file.statusCode(), url);
                assertEquals("public, max-age=31536000, immutable", file.headers().firstValue("Cache-Control")
                        .orElseThrow(), url);
                assertEquals(server.get(url.replaceFirst("/static/[0-9a-f]{12}/", "/static/")).body(), file.body());
                count++;
            }
            assertTrue(count >= 2, page + " links its stylesheet and icon, found " + count);
        }
        assertEquals(404, server.get("/static/000000000000/js/form.js").statusCode(), "another release's files");
    }

    @Test
    void aPagePreloadsEveryModuleItsScriptImports() {
        String dashboard = server.get("/runs/" + run).body();
        for (String module : new String[] {"api", "live", "loss-chart", "point-cloud", "quiver", "frames", "wire",
                "sampler-panel"}) {
            assertTrue(dashboard.matches("(?s).*<link rel=\"modulepreload\" href=\"/static/[0-9a-f]{12}/js/"
                    + module + "\\.js\">.*"), module);
        }
        assertFalse(server.get("/no-such-page").body().contains("modulepreload"), "a page with no script preloads none");
        assertFalse(dashboard.matches("(?s).*modulepreload[^>]*dashboard\\.js.*"), "not the script itself");
    }

    @Test
    void theFaviconIsNotA404() {
        HttpResponse<String> favicon = server.get("/favicon.ico");

        assertTrue(favicon.statusCode() == 200 || favicon.statusCode() == 302, "status " + favicon.statusCode());
    }
}
