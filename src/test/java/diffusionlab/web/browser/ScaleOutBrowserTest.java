package diffusionlab.web.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.RequestOptions;
import diffusionlab.cli.AppProcess;
import diffusionlab.training.RunRegistry;
import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.DatabaseTarget;
import diffusionlab.training.store.PostgresTestDatabase;
import diffusionlab.training.store.PrunePolicy;
import diffusionlab.training.store.StoreSettings;
import diffusionlab.web.TestServer;
import diffusionlab.web.WebSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Done-when of scaling out (docs/SCALING.md): one web and two worker processes ({@code serve --role web|worker},
 * real child JVMs) on a real PostgreSQL. Debian's Chromium watches a run on the web instance while a worker
 * trains it; that worker is killed with SIGKILL mid-run; the other worker resumes the run from its last
 * checkpoint and finishes it; the viewer saw, and the store holds, every loss point from the first to the last
 * step exactly once. And a class spans two web instances: a student following on one goes where the teacher
 * presenting on the other goes.
 */
@Tag("postgres")
@Tag("browser")
class ScaleOutBrowserTest {
    private static final String RUN = """
            {"name": "trained on a worker", "dataset": "circles", "datasetSize": 2000, "timesteps": 40,
             "hidden": 32, "layers": 2, "steps": %d, "batchSize": 128}""";
    private static final long STEPS = 60_000;
    private static final long EVERY = STEPS / 2000; // a loss point every 30 steps
    private static final Path LOGS = Path.of("target", "scale-out");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBrowserOnTheWebInstanceWatchesARunThatSurvivesTheKillOfItsWorkerWithEveryLossPointOnce() throws Exception {
        DatabaseTarget target = PostgresTestDatabase.fresh();
        assertTrue(Files.isExecutable(BrowserTest.CHROMIUM), "needs Debian's Chromium at " + BrowserTest.CHROMIUM);
        Files.createDirectories(LOGS);
        Map<String, String> env = Map.of("DATABASE_URL", System.getenv("TEST_DATABASE_URL"),
                "MAX_CONCURRENT_RUNS", "1", "CHECKPOINT_EVERY_SECONDS", "1", "DATA_DIR", LOGS.resolve("unused").toString());
        Map<String, AppProcess> workers = new LinkedHashMap<>();
        List<AppProcess> all = new ArrayList<>();
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                     .setExecutablePath(BrowserTest.CHROMIUM).setHeadless(true)
                     .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking")))) {
            AppProcess web = AppProcess.start("web", env, LOGS.resolve("web.log"));
            all.add(web);
            for (String name : new String[] {"worker-1", "worker-2"}) {
                AppProcess w = AppProcess.start("worker", env, LOGS.resolve(name + ".log"));
                all.add(w);
                workers.put(name, w);
            }
            assertTrue(web.awaitOutput("is listening on", Duration.ofSeconds(90)), web.output());
            for (AppProcess w : workers.values()) {
                assertTrue(w.awaitOutput("trains up to 1 run(s)", Duration.ofSeconds(90)), w.output());
            }

            BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                    .setBaseURL("http://localhost:" + web.port()).setViewportSize(BrowserTest.DESKTOP));
            context.setDefaultTimeout(30_000);
            APIResponse created = context.request().post("/api/runs", RequestOptions.create()
                    .setHeader("Content-Type", "application/json").setHeader("X-Requested-With", "fetch")
                    .setData(RUN.formatted(STEPS)));
            assertEquals(201, created.status(), created.text());
            String id = JSON.readTree(created.text()).get("id").asText();

            // the viewer: every loss step its live socket delivers, snapshot first
            Page page = context.newPage();
            Console console = new Console(page);
            List<Long> seen = new ArrayList<>();
            List<Integer> sockets = new ArrayList<>();
            page.onWebSocket(ws -> {
                sockets.add(1);
                ws.onFrameReceived(frame -> collectLoss(frame.text(), seen));
            });
            page.navigate("/runs/" + id);
            page.waitForSelector("#live-indicator.on");
            await(page, "the run trains on a worker", () -> Dom.step(page) > 0, 120);

            // the worker that trains it, once it has a checkpoint past the first fifth of the run
            await(page, "a checkpoint past step " + STEPS / 5,
                    () -> number(target, "SELECT checkpoint_step FROM dl_runs WHERE id = '" + id + "'") > STEPS / 5, 180);
            String owner = text(target, "SELECT lease_owner FROM dl_runs WHERE id = '" + id + "'");
            AppProcess doomed = workers.values().stream().filter(w -> owner.startsWith("worker-" + w.pid() + "-"))
                    .findFirst().orElseThrow(() -> new AssertionError("no worker holds it: " + owner));
            AppProcess survivor = workers.values().stream().filter(w -> w != doomed).findFirst().orElseThrow();
            long checkpoint = number(target, "SELECT checkpoint_step FROM dl_runs WHERE id = '" + id + "'");
            long killedAt = Dom.step(page);
            doomed.kill();
            long killed = System.nanoTime();
            assertTrue(!doomed.alive());

            await(page, "the other worker resumes the run", () -> survivor.output().contains("trains run " + id), 30);
            double resumedAfter = (System.nanoTime() - killed) / 1e9;
            assertTrue(resumedAfter <= 15, "training again after " + resumedAfter + " s");
            String resumedLine = survivor.output().lines().filter(l -> l.contains("trains run " + id)).findFirst()
                    .orElseThrow();
            long resumedFrom = Long.parseLong(resumedLine.replaceAll(".* from step (\\d+) .*", "$1"));
            assertTrue(resumedFrom >= checkpoint && resumedFrom <= killedAt + EVERY * 100,
                    "resumed from " + resumedFrom + " (checkpoint seen " + checkpoint + ", killed at " + killedAt + ")");
            BrowserTest.screenshot(page, "scale-out-resumed-on-another-worker");

            page.waitForSelector("#run-state.state-done", new Page.WaitForSelectorOptions().setTimeout(300_000));
            page.waitForTimeout(500);
            BrowserTest.screenshot(page, "scale-out-done-desktop");

            synchronized (seen) {
                assertEquals(STEPS / EVERY, seen.size(), "the viewer saw " + seen.size() + " loss points");
                for (int i = 0; i < seen.size(); i++) {
                    assertEquals(EVERY * (i + 1), seen.get(i), "the viewer's loss point " + i);
                }
            }
            assertEquals(1, sockets.size(), "one live socket all along: the web instance never went away");
            assertEquals(STEPS / EVERY, number(target, "SELECT count(*) FROM dl_loss WHERE run_id = '" + id + "'"));
            assertEquals(STEPS / EVERY, number(target, "SELECT count(DISTINCT step) FROM dl_loss WHERE run_id = '" + id + "'"));
            assertEquals(EVERY, number(target, "SELECT min(step) FROM dl_loss WHERE run_id = '" + id + "'"));
            assertEquals(STEPS, number(target, "SELECT max(step) FROM dl_loss WHERE run_id = '" + id + "'"));
            assertTrue(console.errors().isEmpty(), "browser console errors: " + console.errors());

            // a phone opens the finished run on the web instance
            BrowserContext phone = browser.newContext(new Browser.NewContextOptions()
                    .setBaseURL("http://localhost:" + web.port()).setViewportSize(BrowserTest.PHONE)
                    .setIsMobile(true).setHasTouch(true).setDeviceScaleFactor(3));
            Page small = phone.newPage();
            small.navigate("/runs/" + id);
            small.waitForSelector("#run-state.state-done");
            small.waitForTimeout(1_000);
            assertEquals(Boolean.FALSE, small.evaluate("() => document.documentElement.scrollWidth > window.innerWidth"),
                    "no sideways scroll on a phone");
            BrowserTest.screenshot(small, "scale-out-done-phone");
        } finally {
            for (AppProcess p : all) {
                p.close();
            }
        }
    }

    /**
     * The class spans web instances: the teacher presents through one, a student's phone follows through another,
     * section by section of the lesson, until the teacher ends the class (docs/SCALING.md, "Shared documents").
     */
    @Test
    void aStudentOnAnotherWebInstanceFollowsTheTeacherThroughTheLessonUntilTheClassEnds(@TempDir Path dataDir)
            throws Exception {
        PostgresTestDatabase.fresh();
        StoreSettings settings = new StoreSettings(dataDir, System.getenv("TEST_DATABASE_URL"),
                CheckpointPolicy.DEFAULT, PrunePolicy.KEEP_ALL);
        WebSettings web = TestServer.SETTINGS.withAdminToken(BrowserTest.TEACHER_KEY);
        try (TestServer first = TestServer.over(RunRegistry.openMirror(settings), web);
             TestServer second = TestServer.over(RunRegistry.openMirror(settings), web);
             Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                     .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                     .setExecutablePath(BrowserTest.CHROMIUM).setHeadless(true)
                     .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking")))) {
            BrowserContext teacherContext = ClassBrowserTest.signedIn(browser.newContext(new Browser.NewContextOptions()
                    .setBaseURL("http://localhost:" + first.web.port()).setViewportSize(BrowserTest.DESKTOP)));
            teacherContext.setDefaultTimeout(30_000);
            BrowserContext studentContext = browser.newContext(new Browser.NewContextOptions()
                    .setBaseURL("http://localhost:" + second.web.port()).setViewportSize(BrowserTest.PHONE)
                    .setIsMobile(true).setHasTouch(true).setDeviceScaleFactor(3));
            studentContext.setDefaultTimeout(30_000);
            Page teacher = teacherContext.newPage();
            Console teacherConsole = new Console(teacher);
            teacher.navigate("/class");
            teacher.click("#start-presenting");
            teacher.waitForURL("**/");
            teacher.navigate("/lesson/score");

            Page student = studentContext.newPage();
            Console studentConsole = new Console(student);
            student.navigate("/class/follow");
            student.waitForURL("http://localhost:" + second.web.port() + "/lesson/score");
            assertThat(student.locator("#class-bar")).containsText("Following the teacher");

            teacher.locator(".lesson-nav .next").first().click();
            teacher.waitForURL("**/lesson/langevin");
            student.waitForURL("**/lesson/langevin");
            student.waitForSelector("#lesson .katex");
            BrowserTest.screenshot(student, "scale-out-class-follower-phone");

            teacher.click("#class-bar [data-action=stop]");
            assertThat(student.locator("#class-bar")).containsText("The teacher has ended the class");
            assertTrue(student.url().endsWith("/lesson/langevin"), "the student stays where the class ended");
            assertTrue(teacherConsole.errors().isEmpty() && studentConsole.errors().isEmpty(),
                    "browser console errors: " + teacherConsole.errors() + studentConsole.errors());
        }
    }

    /** The loss steps of a snapshot or a loss message. */
    private static void collectLoss(String text, List<Long> seen) {
        try {
            JsonNode m = JSON.readTree(text);
            JsonNode steps = switch (m.path("type").asText()) {
                case "snapshot" -> m.path("loss").path("steps");
                case "loss" -> m.path("steps");
                default -> null;
            };
            if (steps != null) {
                synchronized (seen) {
                    steps.forEach(s -> seen.add(s.asLong()));
                }
            }
        } catch (Exception e) {
            fail("a live message that is not JSON: " + text);
        }
    }

    private static void await(Page page, String what, BooleanSupplier condition, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + seconds + " s waiting until " + what);
            }
            page.waitForTimeout(200); // lets Playwright deliver the socket's frames meanwhile
        }
    }

    private static long number(DatabaseTarget target, String sql) {
        String v = text(target, sql);
        return v == null ? -1 : Long.parseLong(v);
    }

    private static String text(DatabaseTarget target, String sql) {
        Properties props = new Properties();
        props.setProperty("user", target.user());
        props.setProperty("password", target.password());
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), props);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (Exception e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }
}
