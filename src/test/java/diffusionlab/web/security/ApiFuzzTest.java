package diffusionlab.web.security;

import static diffusionlab.web.TestServer.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.training.ConfigParser;
import diffusionlab.web.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Seeded random abuse of the HTTP API: random JSON shapes and wrong types, huge numbers, NaN strings, unicode,
 * deep nesting, random paths, methods, ids, query parameters and content types, truncated and invalid bodies,
 * and raw requests that a well-behaved client would never send. Whatever arrives: never a 5xx, and under
 * /api every 4xx is a JSON {"error"} body. Failures print the seed and the request, so any one replays.
 */
class ApiFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20241128L);
    private static final int HTTP_REQUESTS = 1500;
    private static final int RAW_REQUESTS = 200;
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "POST", "POST", "DELETE", "PUT", "PATCH",
            "HEAD", "OPTIONS", "TRACE", "FOO"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json", "application/json; charset=utf-8",
            "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "application/xml",
            "application/vnd.api+json", "", "application/json; charset=latin1", "*/*", "image/png"};
    private static final String[] QUERY_NAMES = {"n", "sampler", "sampleSteps", "eta", "weights", "seed", "spacing",
            "variance", "langevinStepSize", "langevinDecay", "temperature", "schedule", "timesteps", "betaStart",
            "betaEnd", "runs", "x", "", "n[]", "__proto__", "ñ", "%00"};

    @RegisterExtension
    static final TestServer server = TestServer.start(1, 3);
    private static String done;
    private static String running;
    private static final List<String> problems = new ArrayList<>();
    private static final TreeMap<Integer, Integer> statuses = new TreeMap<>();

    @BeforeAll
    static void createRuns() {
        done = server.createRun(TINY);
        server.awaitState(done, Duration.ofSeconds(60), "done");
        running = server.createRun(TINY.replace("\"steps\": 300", "\"steps\": 2000000"));
    }

    @AfterAll
    static void stopRuns() {
        server.registry.list().forEach(r -> r.stop());
    }

    @Test
    void athousandMalformedRequestsGiveNo5xxAndAJsonErrorOnEvery4xxUnderApi() {
        Random random = new Random(SEED);
        for (int i = 0; i < HTTP_REQUESTS; i++) {
            sendRandom(random, i);
        }
        for (int i = 0; i < RAW_REQUESTS; i++) {
            sendRaw(random, i);
        }
        System.out.println("fuzz seed " + SEED + ": " + (HTTP_REQUESTS + RAW_REQUESTS) + " requests, statuses " + statuses);
        if (!problems.isEmpty()) {
            fail(problems.size() + " bad answers (seed " + SEED + "), e.g.:\n" + String.join("\n",
                    problems.subList(0, Math.min(15, problems.size()))));
        }
        assertTrue(server.registry.get(running).isPresent(), "no stranger deleted a run");
        assertEquals(200, server.get("/api/runs/" + done).statusCode(), "the server still works");
    }

    // --- well-formed HTTP with random content ---------------------------------------------------------------

    private static void sendRandom(Random r, int i) {
        String path = randomPath(r);
        String method = r.nextInt(10) < 3 ? pick(r, METHODS) : routeMethod(r, path);
        String body = null;
        if (!method.equals("GET") && !method.equals("HEAD") && r.nextInt(4) != 0 || r.nextInt(20) == 0) {
            body = randomBody(r);
        }
        List<String> headers = new ArrayList<>();
        if (r.nextInt(8) != 0) {
            headers.add(CsrfGuard.HEADER);
            headers.add("fetch");
        }
        if (body != null || r.nextInt(10) == 0) {
            String type = r.nextInt(3) != 0 ? "application/json" : pick(r, CONTENT_TYPES);
            if (!type.isEmpty()) {
                headers.add("Content-Type");
                headers.add(type);
            }
        }
        if (r.nextInt(10) == 0) {
            headers.add("Origin");
            headers.add(r.nextBoolean() ? "http://localhost:" + server.web.port() : pick(r, new String[] {"null",
                    "https://evil.example", "http://localhost", "garbage"}));
        }
        if (r.nextInt(15) == 0) {
            headers.add("Authorization");
            headers.add(pick(r, new String[] {"Bearer ", "Bearer x", "Basic Zm9vOmJhcg==", "Bearer " + "a".repeat(5000)}));
        }
        if (r.nextInt(15) == 0) {
            headers.add("Cookie");
            headers.add(pick(r, new String[] {"dl_owner=", "dl_owner=" + "A".repeat(43), "dl_owner=../../etc",
                    "dl_owner=\u00e9", "x=y; dl_owner=a;b"}));
        }
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.web.port() + path))
                    .timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            for (int h = 0; h < headers.size(); h += 2) {
                request.header(headers.get(h), headers.get(h + 1));
            }
        } catch (IllegalArgumentException e) {
            return; // a URI or header the client library itself refuses: the raw part covers those
        }
        HttpResponse<String> response;
        try {
            // the owner's pause, resume and stop go through (and change states); its deletes would empty the server
            boolean asOwner = r.nextInt(2) == 0 && !method.equals("DELETE");
            response = (asOwner ? server.owner : server.stranger).send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            problems.add("#" + i + " " + method + " " + path + ": no answer: " + e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        judge("#" + i + " " + method + " " + path + " " + abbreviate(body), method, path, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    /** The method the route at this path answers (so most requests get past routing to the checks behind it). */
    private static String routeMethod(Random r, String path) {
        String p = path.split("\\?")[0];
        if (p.endsWith("/pause") || p.endsWith("/resume") || p.endsWith("/stop") || p.endsWith("/loss-variants")
                || (p.startsWith("/api/class/") && !p.endsWith("/runs"))) {
            return "POST";
        }
        if (p.equals("/api/runs")) {
            return r.nextInt(3) == 0 ? "GET" : "POST";
        }
        return "GET";
    }

    private static String randomPath(Random r) {
        String id = switch (r.nextInt(13)) {
            case 0, 1, 2, 10, 11 -> done;
            case 3, 4, 12 -> running;
            case 5 -> randomToken(r, 1 + r.nextInt(12));
            case 6 -> pick(r, new String[] {"..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%00", "a%20b", "%E2%80%AE",
                    "%C3%A9t%C3%A9", "%F0%9F%92%A9", "CON", "nul", "~root", "%25", "-1", "0", "9".repeat(400)});
            case 7 -> done.toUpperCase();
            case 8 -> done + "x";
            default -> "";
        };
        String path = switch (r.nextInt(20)) {
            case 0 -> "/api/runs";
            case 1 -> "/api/runs/" + id;
            case 2 -> "/api/runs/" + id + "/pause";
            case 3 -> "/api/runs/" + id + "/resume";
            case 4 -> "/api/runs/" + id + "/stop";
            case 5 -> "/api/runs/" + id + "/sample";
            case 6 -> "/api/runs/" + id + "/samples.csv";
            case 7 -> "/api/runs/" + id + "/loss.csv";
            case 8 -> "/api/runs/" + id + "/config.json";
            case 9 -> "/api/schedule";
            case 10 -> "/api/compare/loss-variants";
            case 11 -> "/api/" + randomToken(r, 1 + r.nextInt(8)) + (r.nextBoolean() ? "/" + id : "");
            case 12 -> "/api/runs/" + id + "/" + randomToken(r, 1 + r.nextInt(6));
            case 13 -> "/api/runs//" + id + "//stop";
            case 14 -> "/api/runs/" + id + "/live";
            case 15 -> "/api/teacher";
            case 16 -> pick(r, new String[] {"/api/class", "/api/class/present", "/api/class/runs",
                    "/api/class/pause-all", "/api/class/stop-all", "/api/class/settings"});
            case 17 -> "/api/runs/" + id + "/langevin-path";
            case 18 -> "/api/lesson/" + pick(r, new String[] {"forward", "langevin", "flow", id}) + "/preview";
            default -> "/api";
        };
        if (r.nextInt(3) == 0) {
            path += "?" + randomQuery(r);
        }
        return path;
    }

    private static String randomQuery(Random r) {
        StringBuilder q = new StringBuilder();
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                q.append('&');
            }
            q.append(pick(r, QUERY_NAMES)).append('=').append(pick(r, new String[] {"1", "0", "-1", "2000", "5000",
                    "5001", "999999999999999999999", "1e400", "NaN", "Infinity", "-Infinity", "0x10", "1.5", "", "ddim",
                    "langevin", "ancestral", "ema", "raw", "quadratic", "%E2%80%AE", "%00", "%C3%A9", "true", "null",
                    "%5B1%2C2%5D", "a,b,c,d,e,f", "sigmoid", "cosine"}));
        }
        return q.toString();
    }

    private static String randomBody(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> ""; // empty
            case 1 -> truncate(r, randomJson(r, 0));
            case 2 -> "[".repeat(500 + r.nextInt(5000)) + "]".repeat(r.nextInt(3));
            case 3 -> "{\"a\":".repeat(200 + r.nextInt(3000)) + "1" + "}".repeat(r.nextInt(3));
            case 4 -> randomBytesAsText(r);
            case 5 -> pick(r, new String[] {"null", "true", "1", "\"x\"", "[]", "{}", "{} {}", "{\"steps\":1,}",
                    "{'steps': 1}", "{\"steps\": NaN}", "{\"steps\": Infinity}", "{\"steps\": 01}", "\uFEFF{}",
                    "{\"\\ud800\": 1}", "{\"name\": \"\\ud800\"}"});
            default -> randomJson(r, 0);
        };
    }

    private static String randomJson(Random r, int depth) {
        StringBuilder sb = new StringBuilder("{");
        int n = r.nextInt(6);
        List<String> fields = new ArrayList<>(ConfigParser.FIELDS);
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                sb.append(',');
            }
            String key = r.nextInt(6) == 0 ? randomToken(r, 1 + r.nextInt(10)) : fields.get(r.nextInt(fields.size()));
            sb.append('"').append(key).append("\":").append(randomValue(r, depth + 1));
        }
        return sb.append('}').toString();
    }

    private static String randomValue(Random r, int depth) {
        return switch (r.nextInt(depth > 3 ? 10 : 13)) {
            case 0 -> String.valueOf(r.nextInt());
            case 1 -> String.valueOf(r.nextLong());
            case 2 -> pick(r, new String[] {"1e308", "1e309", "-1e309", "1e-400", "-0", "-0.0", "0.5", "1.0",
                    "123456789012345678901234567890", "4.9e-324", "2147483648", "9007199254740993", "0.0000001"});
            case 3 -> pick(r, new String[] {"\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e3\"", "\"  5 \"", "\"\"",
                    "\"0x1f\"", "\"١٢٣\""});
            case 4 -> "\"" + randomUnicode(r) + "\"";
            case 5 -> r.nextBoolean() ? "true" : "false";
            case 6 -> "null";
            case 7 -> pick(r, new String[] {"\"moons\"", "\"swiss_roll\"", "\"points\"", "\"ddpm_simple\"", "\"dsm\"",
                    "\"ssm\"", "\"cosine\"", "\"ddim\"", "\"langevin\"", "\"notebook\"", "\"default\"", "\"ema\""});
            case 8 -> "\"" + "x".repeat(r.nextInt(3) == 0 ? 100_000 : 200) + "\"";
            case 9 -> String.valueOf(r.nextInt(2000));
            case 10 -> "[" + randomValue(r, depth + 1) + "," + randomValue(r, depth + 1) + "]";
            case 11 -> randomJson(r, depth + 1);
            default -> "[[" + r.nextGaussian() + "," + r.nextGaussian() + "],[1,\"a\"],[]]";
        };
    }

    private static String randomUnicode(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(20);
        for (int k = 0; k < n; k++) {
            int kind = r.nextInt(6);
            int cp = switch (kind) {
                case 0 -> 0x20 + r.nextInt(0x5f);
                case 1 -> 0xa0 + r.nextInt(0x2000);
                case 2 -> 0x1f300 + r.nextInt(0x300);
                case 3 -> new int[] {0x202e, 0x200b, 0xfeff, 0x2028, 0xfffd}[r.nextInt(5)];
                case 4 -> 0x4e00 + r.nextInt(0x5000);
                default -> new int[] {'<', '>', '&', '\'', '/'}[r.nextInt(5)];
            };
            if (cp == '"' || cp == '\\') {
                sb.append('\\');
            }
            sb.appendCodePoint(cp);
        }
        if (r.nextInt(4) == 0) {
            sb.append(pick(r, new String[] {"\\u0000", "\\u0001", "\\n", "\\t", "\\ud83d", "\\udc00"}));
        }
        return sb.toString();
    }

    private static String randomBytesAsText(Random r) {
        byte[] bytes = new byte[1 + r.nextInt(300)];
        r.nextBytes(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String truncate(Random r, String s) {
        return s.length() < 2 ? s : s.substring(0, 1 + r.nextInt(s.length() - 1));
    }

    private static String randomToken(Random r, int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_.~";
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < length; k++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    // --- raw requests a library would never send -----------------------------------------------------------

    private static void sendRaw(Random r, int i) {
        String target = switch (r.nextInt(8)) {
            case 0 -> "/api/runs/%zz";
            case 1 -> "/api/runs/" + done + "/sample?n=%";
            case 2 -> "/api/runs/%ff%fe/stop";
            case 3 -> "/api/runs/" + done + "/../../../etc/passwd";
            case 4 -> "/api/runs/" + done + "/%2e%2e/%2e%2e/static/js/api.js";
            case 5 -> "/api/schedule?timesteps=" + "9".repeat(5000);
            case 6 -> "/api/runs?" + "a=1&".repeat(2000);
            default -> "/api/runs/" + done + "/sample?sampler=\u00e9";
        };
        String method = pick(r, new String[] {"GET", "POST", "DELETE"});
        String body = r.nextBoolean() ? "{\"dataset\": \"moons\", \"steps\": 10}" : "";
        boolean truncated = !body.isEmpty() && r.nextInt(3) == 0;
        int declared = truncated ? body.length() + 1 + r.nextInt(1000) : body.length();
        if (truncated && !method.equals("GET")) {
            target = "/api/runs"; // a body that never fully arrives
        }
        String head = method + " " + target + " HTTP/1.1\r\nHost: localhost:" + server.web.port() + "\r\n"
                + CsrfGuard.HEADER + ": fetch\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + (body.isEmpty() && !truncated ? "" : "Content-Length: " + declared + "\r\n") + "\r\n";
        try (Socket socket = new Socket("localhost", server.web.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(body.getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (truncated) {
                socket.shutdownOutput(); // the promised bytes never come
            }
            String response = readAll(socket.getInputStream());
            if (response.isEmpty()) {
                return; // the server may just close a connection whose body never came
            }
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            String headers = split < 0 ? response : response.substring(0, split);
            String contentType = headers.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .map(l -> l.substring(13).strip()).findFirst().orElse("");
            String responseBody = split < 0 ? "" : dechunk(headers, response.substring(split + 4));
            String request = "raw#" + i + " " + method + " " + target + (truncated ? " (truncated body)" : "");
            judge(request, method, pathOf(target), status, contentType, responseBody);
        } catch (IOException | RuntimeException e) {
            problems.add("raw#" + i + " " + method + " " + target + ": " + e);
        }
    }

    private static String pathOf(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String dechunk(String headers, String body) {
        if (!headers.toLowerCase().contains("transfer-encoding: chunked")) {
            return body;
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int eol = body.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, eol).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }

    // --- the verdict ----------------------------------------------------------------------------------------

    private static void judge(String request, String method, String path, int status, String contentType, String body) {
        statuses.merge(status, 1, Integer::sum);
        if (status >= 500) {
            problems.add(request + " -> " + status + " " + abbreviate(body));
            return;
        }
        boolean api = path.equals("/api") || path.startsWith("/api/") || path.startsWith("/api?");
        if (api && status >= 400 && !method.equals("HEAD")) {
            if (!contentType.startsWith("application/json")) {
                problems.add(request + " -> " + status + " not JSON (" + contentType + "): " + abbreviate(body));
                return;
            }
            try {
                JsonNode error = server.json.readTree(body);
                if (!error.path("error").isTextual() || error.get("error").asText().isBlank()) {
                    problems.add(request + " -> " + status + " without an error message: " + abbreviate(body));
                }
            } catch (IOException e) {
                problems.add(request + " -> " + status + " invalid JSON: " + abbreviate(body));
            }
        }
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }
}
