package diffusionlab.web.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ViewportSize;
import diffusionlab.web.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The real app on a random port ({@link TestServer}) and Debian's headless Chromium driven by Playwright.
 * No browser is ever downloaded: a missing {@code /usr/bin/chromium} fails every test of the class.
 * Every page opened through {@link #open} records console errors, uncaught exceptions and long tasks.
 */
@Tag("browser")
abstract class BrowserTest {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    static final Duration WAIT = Duration.ofSeconds(30);
    /** A laptop, and a phone (held upright) that a student opens a shared link on. */
    static final ViewportSize DESKTOP = new ViewportSize(1280, 800);
    static final ViewportSize PHONE = new ViewportSize(390, 844);
    /** The server's ADMIN_TOKEN: the teacher's key. */
    static final String TEACHER_KEY = "teacher-key-for-the-browser-tests";

    /** Records every 'longtask' entry (main thread busy > 50 ms) in window.__longTasks. */
    private static final String LONG_TASKS = """
            window.__longTasks = [];
            try {
              new PerformanceObserver((list) => list.getEntries().forEach((e) =>
                  window.__longTasks.push({ start: Math.round(e.startTime), ms: Math.round(e.duration) })))
                .observe({ type: 'longtask', buffered: true });
            } catch (e) { window.__longTasks = null; }
            """;

    static TestServer server;
    static Playwright playwright;
    static Browser browser;

    private final List<BrowserContext> contexts = new ArrayList<>();
    private final List<Console> consoles = new ArrayList<>();

    @BeforeAll
    static void launch() {
        assertTrue(Files.isExecutable(CHROMIUM), "the browser tests need Debian's Chromium at " + CHROMIUM
                + " (apt-get install chromium); they never download a browser");
        server = TestServer.start(TestServer.SETTINGS.withAdminToken(TEACHER_KEY));
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking")));
    }

    @AfterAll
    static void shutDown() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void closeContexts() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
        consoles.clear();
    }

    /** A fresh browser profile: its own cookie jar, a desktop window. */
    BrowserContext newContext() {
        return newContext(new Browser.NewContextOptions().setViewportSize(new ViewportSize(1400, 900)));
    }

    /** A fresh browser profile on a phone: a touch screen of {@link #PHONE}'s size at three pixels per pixel. */
    BrowserContext newPhoneContext() {
        return newContext(new Browser.NewContextOptions().setViewportSize(PHONE).setIsMobile(true).setHasTouch(true)
                .setDeviceScaleFactor(3));
    }

    BrowserContext newContext(ViewportSize window) {
        return newContext(new Browser.NewContextOptions().setViewportSize(window));
    }

    private BrowserContext newContext(Browser.NewContextOptions options) {
        BrowserContext context = browser.newContext(options
                .setBaseURL("http://localhost:" + server.web.port())
                .setLocale("en-US"));
        context.setDefaultTimeout(WAIT.toMillis());
        context.addInitScript(LONG_TASKS);
        contexts.add(context);
        return context;
    }

    /** A new page of the context, watched for console errors, at {@code path}. */
    Page open(BrowserContext context, String path) {
        Page page = context.newPage();
        Console console = new Console(page);
        consoles.add(console);
        page.navigate(path);
        return page;
    }

    Console console(Page page) {
        return consoles.stream().filter(c -> c.page == page).findFirst().orElseThrow();
    }

    /** Every console error and uncaught exception of every page opened so far. */
    void assertNoConsoleErrors() {
        List<String> errors = new ArrayList<>();
        consoles.forEach(c -> errors.addAll(c.errors()));
        assertTrue(errors.isEmpty(), "browser console errors:\n" + String.join("\n", errors));
    }

    /** Saves a full-page screenshot as target/screenshots/{name}.png and notes the page's long tasks. */
    static void screenshot(Page page, String name) {
        note(name + " " + page.url().replaceFirst("^http://[^/]+", "") + " long tasks (> 50 ms) since load, "
                + "the test's own canvas reads included: " + page.evaluate("() => window.__longTasks"));
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new AssertionError("cannot create " + SCREENSHOTS, e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    /** Saves what the window shows, without scrolling, as target/screenshots/{name}.png. */
    static void screenshotOfWindow(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new AssertionError("cannot create " + SCREENSHOTS, e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")));
    }

    /**
     * The long tasks of a page while live updates arrive and the test leaves the page alone for {@code millis}.
     * Recorded (target/screenshots/long-tasks.txt), never asserted: timing depends on the machine's load.
     */
    static Object longTasksWhileLive(Page page, int millis, String name) {
        Object from = page.evaluate("() => window.__longTasks ? window.__longTasks.length : 0");
        page.waitForTimeout(millis);
        Object tasks = page.evaluate("(from) => window.__longTasks && window.__longTasks.slice(from)", from);
        note(name + " long tasks (> 50 ms) in " + millis + " ms of live updates: " + tasks);
        return tasks;
    }

    static void note(String line) {
        System.out.println("[browser] " + line);
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.writeString(SCREENSHOTS.resolve("long-tasks.txt"), line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AssertionError("cannot write the long-task notes", e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return server.json.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** Polls until the condition holds (for state that lives in JavaScript modules or the server). */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + WAIT.toSeconds() + " s waiting until " + what);
            }
            TestServer.sleep(100);
        }
    }
}
