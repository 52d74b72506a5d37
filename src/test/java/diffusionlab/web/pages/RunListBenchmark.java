package diffusionlab.web.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.StoredRunsFixture;
import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.PrunePolicy;
import diffusionlab.training.store.StoreSettings;
import diffusionlab.web.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's two restart figures, over a store of 100 finished notebook-size runs: how long a restart takes until
 * {@code /} is served, and how long the run list page ({@code /}, 100 rows) takes to render: on the server
 * (GET, body read) and in Debian's headless Chromium (navigation start to the load event and to the first
 * contentful paint). Run it with
 * {@code mvn -q -B test -Dtest=RunListBenchmark -Dbench=true [-Dbench.restarts=5 -Dbench.loads=30]}.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class RunListBenchmark {
    private static final int RUNS = 100;
    private static final double PAGE_TARGET_MS = 200;
    private static final double RESTART_TARGET_MS = 5000;

    @TempDir
    Path dataDir;

    @Test
    void restartAndRunListPageWithAHundredStoredRuns() {
        int restarts = Integer.getInteger("bench.restarts", 5);
        int loads = Integer.getInteger("bench.loads", 30);
        StoreSettings settings = new StoreSettings(dataDir, null, CheckpointPolicy.DEFAULT, PrunePolicy.KEEP_ALL);
        StoredRunsFixture.storeFinishedRuns(settings, RUNS);

        double[] ready = new double[restarts];
        for (int i = 0; i < restarts; i++) {
            long start = System.nanoTime();
            try (TestServer server = TestServer.over(RunRegistry.open(1, settings))) {
                assertEquals(200, server.get("/").statusCode());
                ready[i] = millisSince(start);
            }
        }

        try (TestServer server = TestServer.over(RunRegistry.open(1, settings))) {
            double[] html = serve(server, "/", loads * 4);
            double[] api = serve(server, "/api/runs", loads * 4);
            int rows = countRows(server.get("/").body());
            assertEquals(RUNS, rows, "the page lists every stored run");
            Map<String, double[]> browser = renderInChromium(server, loads);

            System.out.printf(Locale.ROOT, "%n%d stored finished runs (notebook model, 2,000 loss points each), H2 in %s%n",
                    RUNS, dataDir);
            report("restart until / is served (open store + web + first GET; max = 1st, cold JVM)", ready, RESTART_TARGET_MS);
            report("server: GET / (100 rows), whole body", html, PAGE_TARGET_MS);
            report("server: GET /api/runs (the list's refresh)", api, Double.NaN);
            System.out.println("  Chromium (Debian's, headless, software rendering), ms from navigation start:");
            report("warm profile (its static files cached; a reload): load event", browser.get("warm list load"), PAGE_TARGET_MS);
            report("warm profile: first contentful paint", browser.get("warm list paint"), PAGE_TARGET_MS);
            report("warm profile, the 404 page (same layout, no list, no script): load", browser.get("warm floor load"), Double.NaN);
            report("warm profile, the 404 page: first contentful paint", browser.get("warm floor paint"), Double.NaN);
            report("new profile (nothing cached): load event", browser.get("new list load"), Double.NaN);
            report("new profile: first contentful paint", browser.get("new list paint"), Double.NaN);
            report("new profile, the 404 page: load event", browser.get("new floor load"), Double.NaN);
            report("new profile, the 404 page: first contentful paint", browser.get("new floor paint"), Double.NaN);
            double[] first = browser.get("first");
            System.out.printf(Locale.ROOT, "  first load after the restart: %.0f ms to load, %.0f ms to first paint; longest"
                    + " main-thread task in the next 4 s (one refresh of the list): %.0f ms%n", first[0], first[1], first[2]);
        }
    }

    /** Milliseconds of {@code count} GETs of {@code path}, after as many warm-up GETs. */
    private static double[] serve(TestServer server, String path, int count) {
        for (int i = 0; i < count; i++) {
            assertEquals(200, server.get(path).statusCode());
        }
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = server.get(path);
            ms[i] = millisSince(start);
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("stored099"), path + " lists the last run");
        }
        return ms;
    }

    /**
     * Chromium figures, each a list of ms since navigation start: "load" and "paint" (first contentful paint) of
     * {@code /} and of the 404 page (the same layout with no list and no script: what Chromium itself costs here),
     * loaded in turn, in one profile that has the static files cached ("warm") and in new profiles ("new"); and
     * "first" = {load, paint, longest main-thread task in the 4 s after it (one refresh of the list)}.
     */
    private static Map<String, double[]> renderInChromium(TestServer server, int loads) {
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                     .setExecutablePath(Paths.get("/usr/bin/chromium")).setHeadless(true)
                     .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking")))) {
            String list = "http://localhost:" + server.web.port() + "/";
            String floor = list + "no-such-page";
            Map<String, double[]> figures = new java.util.LinkedHashMap<>();
            for (String key : new String[] {"warm list", "warm floor", "new list", "new floor"}) {
                figures.put(key + " load", new double[loads]);
                figures.put(key + " paint", new double[loads]);
            }
            try (BrowserContext context = newContext(browser)) {
                Page page = context.newPage();
                double[] first = load(page, list, RUNS);
                page.evaluate("window.__longest = 0");
                page.waitForTimeout(4000); // one refresh of the list from /api/runs
                assertEquals(RUNS, page.locator("#runs-body tr").count());
                figures.put("first", new double[] {first[0], first[1], ((Number) page.evaluate("window.__longest")).doubleValue()});
                for (int i = 0; i < loads; i++) {
                    record(figures, "warm list", i, load(page, list, RUNS));
                    record(figures, "warm floor", i, load(page, floor, 0));
                }
            }
            for (int i = 0; i < loads; i++) {
                try (BrowserContext context = newContext(browser)) { // a new profile: nothing cached
                    record(figures, "new list", i, load(context.newPage(), list, RUNS));
                }
                try (BrowserContext context = newContext(browser)) {
                    record(figures, "new floor", i, load(context.newPage(), floor, 0));
                }
            }
            return figures;
        }
    }

    private static void record(Map<String, double[]> figures, String key, int i, double[] loadAndPaint) {
        figures.get(key + " load")[i] = loadAndPaint[0];
        figures.get(key + " paint")[i] = loadAndPaint[1];
    }

    /** A new browser profile that records its pages' longest main-thread task in {@code window.__longest}. */
    private static BrowserContext newContext(Browser browser) {
        BrowserContext context = browser.newContext();
        context.addInitScript("""
                window.__longest = 0;
                new PerformanceObserver((l) => l.getEntries().forEach((e) =>
                    window.__longest = Math.max(window.__longest, e.duration)))
                  .observe({ type: 'longtask', buffered: true });""");
        return context;
    }

    /** Opens {@code url} in {@code page}; {load event end, first contentful paint} in ms after navigation start. */
    private static double[] load(Page page, String url, int rows) {
        page.navigate(url);
        assertEquals(rows, page.locator("#runs-body tr").count());
        return timing(page);
    }

    /** {load event end, first contentful paint} in ms since navigation start, once the load event is over. */
    private static double[] timing(Page page) {
        String done = "performance.getEntriesByType('navigation')[0]?.loadEventEnd > 0"
                + " && performance.getEntriesByName('first-contentful-paint').length > 0";
        for (int i = 0; !Boolean.TRUE.equals(page.evaluate(done)); i++) { // (the page's CSP forbids waitForFunction's eval)
            assertTrue(i < 600, "the page did not finish loading and painting");
            page.waitForTimeout(10);
        }
        Object loadEnd = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd");
        Object fcp = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime");
        return new double[] {((Number) loadEnd).doubleValue(), ((Number) fcp).doubleValue()};
    }

    private static int countRows(String html) {
        int n = 0;
        for (int i = html.indexOf("<tr data-id="); i >= 0; i = html.indexOf("<tr data-id=", i + 1)) {
            n++;
        }
        return n;
    }

    private static void report(String what, double[] ms, double targetMs) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double p95 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.95 * sorted.length) - 1)];
        String verdict = Double.isNaN(targetMs) ? ""
                : String.format(Locale.ROOT, "   target < %.0f ms  %s", targetMs, p95 < targetMs ? "PASS" : "FAIL");
        System.out.printf(Locale.ROOT, "  %-72s median %7.1f ms  p95 %7.1f ms  max %7.1f ms  (n=%d)%s%n", what, median, p95,
                sorted[sorted.length - 1], ms.length, verdict);
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}
