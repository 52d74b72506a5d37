package diffusionlab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.RunRegistry;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The real web app on a random port over a real {@link RunRegistry}, with two browsers: {@link #owner}
 * keeps its cookies (it starts the runs), {@link #stranger} has none.
 */
public final class TestServer implements AutoCloseable {
    /** A run that trains in well under a second. */
    public static final String TINY = """
            {"name": "tiny", "dataset": "moons", "datasetSize": 500, "steps": 300, "hidden": 16, "layers": 2,
             "timesteps": 20, "batchSize": 64}""";

    public final RunRegistry registry;
    public final WebApp web;
    public final HttpClient owner;
    public final HttpClient stranger;
    public final ObjectMapper json = new ObjectMapper();

    private TestServer(int maxConcurrent, int maxActive) {
        registry = new RunRegistry(maxConcurrent);
        web = new WebApp(registry, maxActive).start(0);
        owner = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        stranger = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static TestServer start() {
        return new TestServer(2, 16);
    }

    public static TestServer start(int maxConcurrent, int maxActive) {
        return new TestServer(maxConcurrent, maxActive);
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + web.port() + path);
    }

    public HttpResponse<String> send(HttpClient client, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
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

    @Override
    public void close() {
        web.close();
        registry.close();
    }
}
