package diffusionlab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.RunRegistry;
import diffusionlab.web.security.CsrfGuard;
import diffusionlab.web.security.FairShares;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real web app on a random port over a real {@link RunRegistry}, with two browsers: {@link #owner}
 * keeps its cookies (it starts the runs), {@link #stranger} has none. Requests are sent as the pages' own
 * {@code api.js} sends them (state-changing ones with the CSRF header); the per-client limit on starting runs
 * and the per-client shares are lifted unless a test passes its own {@link WebSettings}.
 *
 * <p>A test class that shares one server between its tests holds it as
 * {@code @RegisterExtension static final TestServer server = TestServer.start();}: JUnit closes it after the
 * class's tests and its own {@code @AfterAll} methods. A test that wants a server of its own opens it in a
 * try-with-resources block.
 */
public final class TestServer implements AutoCloseable, AfterAllCallback {
    /** A run that trains in well under a second. */
    public static final String TINY = """
            {"name": "tiny", "dataset": "moons", "datasetSize": 500, "steps": 300, "hidden": 16, "layers": 2,
             "timesteps": 20, "batchSize": 64}""";

    public final RunRegistry registry;
    public final WebApp web;
    public final HttpClient owner;
    public final HttpClient stranger;
    public final ObjectMapper json = new ObjectMapper();

    /** The production settings, but with room for the many runs and viewers a test class has from one address. */
    public static final WebSettings SETTINGS = WebSettings.defaults().withRunRate(100_000, 100_000)
            .withShares(FairShares.UNLIMITED);

    private TestServer(RunRegistry registry, int maxActive, WebSettings settings) {
        this.registry = registry;
        web = new WebApp(registry, maxActive, settings).start(0);
        owner = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        stranger = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static TestServer start() {
        return new TestServer(new RunRegistry(2), 16, SETTINGS);
    }

    public static TestServer start(int maxConcurrent, int maxActive) {
        return new TestServer(new RunRegistry(maxConcurrent), maxActive, SETTINGS);
    }

    public static TestServer start(WebSettings settings) {
        return new TestServer(new RunRegistry(2), 16, settings);
    }

    /** The app over {@code registry} (e.g. one opened from a store), which it closes when it closes. */
    public static TestServer over(RunRegistry registry) {
        return new TestServer(registry, 16, SETTINGS);
    }

    /** The app over {@code registry} with these settings, which it closes when it closes. */
    public static TestServer over(RunRegistry registry, WebSettings settings) {
        return new TestServer(registry, 16, settings);
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + web.port() + path);
    }

    public HttpResponse<String> send(HttpClient client, String method, String path, String body) {
        return send(client, method, path, body, new String[0]);
    }

    /**
     * Sends a request as the pages do (JSON body, the CSRF header on anything but GET), then the extra
     * {@code headers} (name, value, name, value...), which replace those defaults; a null value drops one.
     */
    public HttpResponse<String> send(HttpClient client, String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>();
        if (body != null) {
            all.put("Content-Type", "application/json");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            all.put(CsrfGuard.HEADER, "fetch");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            all.put(headers[i], headers[i + 1]);
        }
        all.forEach((name, value) -> {
            if (value != null) {
                request.header(name, value);
            }
        });
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send(stranger, "GET", path, null);
    }

    public HttpResponse<String> post(HttpClient client, String path, String body) {
        return send(client, "POST", path, body);
    }

    public JsonNode json(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Starts a run as {@link #owner}; returns its id. */
    public String createRun(String config) {
        HttpResponse<String> response = post(owner, "/api/runs", config);
        assertEquals(201, response.statusCode(), response.body());
        return json(response).get("id").asText();
    }

    /** Waits until the run is in one of the states; returns its details. */
    public JsonNode awaitState(String id, Duration timeout, String... states) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> wanted = Arrays.asList(states);
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            run = json(get("/api/runs/" + id));
            if (wanted.contains(run.path("status").path("state").asText())) {
                return run;
            }
            sleep(50);
        }
        return fail("run " + id + " did not reach " + wanted + " in " + timeout + "; last: " + run);
    }

    /** Waits until the run has weights to sample (its first pictures, or its end). */
    public void awaitWeights(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (registry.get(id).orElseThrow().weights().isPresent()) {
                return;
            }
            sleep(50);
        }
        fail("run " + id + " has no weights after 30 s");
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the server once the tests of the class that registered it have run. */
    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        web.close();
        registry.close();
    }
}
