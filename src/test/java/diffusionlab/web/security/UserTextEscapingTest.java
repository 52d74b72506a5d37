package diffusionlab.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import diffusionlab.web.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run's name is the one piece of user text the app shows to everyone. Markup in it must come out as text in
 * every context it reaches: element text, attribute values (title, aria-label), the page title, error pages,
 * and JSON, whose {@code <}, {@code >}, {@code &} and quotes are escaped too so that it stays inert even if
 * it is ever inlined into HTML.
 */
class UserTextEscapingTest {
    static final List<String> NAMES = List.of(
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "' onmouseover='alert(1)' x='",
            "</script><script>alert(1)</script>",
            "<svg/onload=alert(1)>",
            "javascript:alert(1)",
            "&lt;b&gt;already escaped&lt;/b&gt;",
            "x <!-- --> y");
    @RegisterExtension
    static final TestServer server = TestServer.start();
    private static final List<String> ids = new ArrayList<>();

    @BeforeAll
    static void createRuns() throws Exception {
        for (String name : NAMES) {
            String body = server.json.writeValueAsString(Map.of("name", name, "dataset", "moons", "datasetSize", 200,
                    "steps", 50, "hidden", 8, "layers", 1, "timesteps", 10, "batchSize", 32));
            ids.add(server.createRun(body));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/runs/ID", "/compare?runs=ID"})
    void everyNameIsTextOnEveryPage(String page) {
        for (int i = 0; i < NAMES.size(); i++) {
            String html = server.get(page.replace("ID", ids.get(i))).body();
            assertNoMarkupFrom(html, NAMES.get(i));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/runs/<script>alert(1)</script>", "/compare?runs=<img src=x onerror=alert(1)>",
            "/<svg onload=alert(1)>"})
    void whatAnAddressSaysIsTextOnTheErrorPage(String path) {
        String encoded = path.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20").replace("(", "%28")
                .replace(")", "%29").replace("=", "%3D");
        HttpResponse<String> response = server.get(encoded);

        assertTrue(response.statusCode() == 404 || response.statusCode() == 400, path + ": " + response.statusCode());
        assertFalse(response.body().contains("<script>alert"), response.body());
        assertFalse(response.body().contains("<img src=x"), response.body());
        assertFalse(response.body().contains("<svg onload"), response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/runs", "/api/runs/ID"})
    void theApiGivesTheNameBackExactlyButWithHtmlCharactersEscaped(String path) throws Exception {
        for (int i = 0; i < NAMES.size(); i++) {
            HttpResponse<String> response = server.get(path.replace("ID", ids.get(i)));
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElseThrow());
            String raw = response.body();
            assertFalse(raw.contains("<") || raw.contains(">"), "no raw angle brackets in JSON: " + raw);
            JsonNode json = server.json.readTree(raw);
            JsonNode run = json.isArray() ? find(json, ids.get(i)) : json;
            assertEquals(NAMES.get(i), run.get("name").asText(), "the name itself is kept exactly");
        }
    }

    /** The check itself catches a name that broke out of its text or its attribute. */
    @org.junit.jupiter.api.Test
    void theCheckCatchesMarkupThatBrokeOut() {
        String evil = NAMES.get(1);
        assertThrows(AssertionError.class, () -> assertNoMarkupFrom("<p>\"><img src=x onerror=alert(1)></p>", evil));
        assertThrows(AssertionError.class, () -> assertNoMarkupFrom("<h3 title='' onmouseover='alert(1)' x=''>t</h3>",
                NAMES.get(2)));
        assertThrows(AssertionError.class, () -> assertNoMarkupFrom("<p></script><script>alert(1)</script></p>",
                NAMES.get(3)));
        assertNoMarkupFrom("<h3 title=\"&#34;>&lt;img src=x onerror=alert(1)>\">&#34;&gt;&lt;img</h3>", evil);
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode r : list) {
            if (r.get("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("run " + id + " not listed");
    }

    /**
     * Checks the page's structure rather than its text: reads every tag (attribute values in quotes may hold
     * anything) and fails if the name created a tag or an attribute: an img/svg/iframe, a script without src,
     * an on* handler. Then checks the name is shown at all, escaped for its context.
     */
    static void assertNoMarkupFrom(String html, String name) {
        int i = 0;
        while ((i = html.indexOf('<', i)) >= 0) {
            if (html.startsWith("<!--", i)) {
                i = html.indexOf("-->", i) + 3;
                continue;
            }
            if (html.startsWith("<!DOCTYPE", i)) {
                i = html.indexOf('>', i) + 1;
                continue;
            }
            int j = i + 1;
            boolean closing = j < html.length() && html.charAt(j) == '/';
            if (closing) {
                j++;
            }
            int nameStart = j;
            while (j < html.length() && Character.isLetterOrDigit(html.charAt(j))) {
                j++;
            }
            String tag = html.substring(nameStart, j).toLowerCase();
            if (tag.isEmpty()) {
                throw new AssertionError("a bare '<' in the page: " + html.substring(i, Math.min(html.length(), i + 60)));
            }
            List<String> attributes = new ArrayList<>();
            boolean hasSrc = false;
            String src = null;
            while (j < html.length() && html.charAt(j) != '>') {
                char c = html.charAt(j);
                if (Character.isWhitespace(c) || c == '/') {
                    j++;
                    continue;
                }
                int a = j;
                while (j < html.length() && "\t\n\f\r />=".indexOf(html.charAt(j)) < 0) {
                    j++;
                }
                String attribute = html.substring(a, j).toLowerCase();
                attributes.add(attribute);
                hasSrc |= attribute.equals("src");
                if (j < html.length() && html.charAt(j) == '=') {
                    j++;
                    char q = html.charAt(j);
                    if (q == '"' || q == '\'') {
                        int end = html.indexOf(q, j + 1);
                        if (attribute.equals("src")) {
                            src = html.substring(j + 1, end);
                        }
                        j = end + 1;
                    } else {
                        while (j < html.length() && !Character.isWhitespace(html.charAt(j)) && html.charAt(j) != '>') {
                            j++;
                        }
                    }
                }
            }
            for (String attribute : attributes) {
                assertFalse(attribute.startsWith("on"), "an event handler attribute " + attribute + " in <" + tag + ">");
            }
            boolean ownImage = tag.equals("img") && src != null && src.startsWith("/static/");
            assertFalse(!ownImage && List.of("img", "svg", "iframe", "object", "embed", "style").contains(tag),
                    "a <" + tag + "> tag");
            if (tag.equals("script") && !closing) {
                assertTrue(hasSrc && src != null && src.startsWith("/"), "every script is a file of this site");
            }
            i = j;
        }
        String text = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        String attribute = name.replace("&", "&amp;").replace("\"", "&#34;").replace("'", "&#39;").replace("<", "&lt;");
        assertTrue(html.contains(text) || html.contains(attribute), "the name is shown, escaped: " + text);
    }
}
