package diffusionlab.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecurityHeadersTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();
    private static String run;

    @BeforeAll
    static void createRun() {
        run = server.createRun(TestServer.TINY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/runs/RUN", "/compare?runs=RUN", "/api/runs", "/api/runs/RUN", "/api/runs/RUN/loss.csv",
            "/static/js/dashboard.js", "/static/css/app.css", "/webjars/chart.js/4.4.1/dist/chart.umd.js",
            "/no/such/page", "/api/no/such/thing", "/runs/nosuchrun", "/lesson", "/lesson/score", "/lesson/nosuch",
            "/api/runs/RUN/langevin-path", "/webjars/katex/0.16.47/dist/katex.min.js"})
    void everyResponseCarriesTheSecurityHeaders(String path) {
        HttpResponse<String> response = server.get(path.replace("RUN", run));

        assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, header(response, "Content-Security-Policy"), path);
        assertEquals("nosniff", header(response, "X-Content-Type-Options"), path);
        assertEquals("DENY", header(response, "X-Frame-Options"), path);
        assertEquals("same-origin", header(response, "Referrer-Policy"), path);
        assertTrue(header(response, "Permissions-Policy").contains("camera=()"), path);
        assertTrue(header(response, "Content-Security-Policy").contains("frame-ancestors 'none'"));
    }

    @Test
    void errorsAndRefusalsCarryThemToo() {
        HttpResponse<String> forbidden = server.send(server.stranger, "POST", "/api/runs/" + run + "/stop", null);

        assertEquals(403, forbidden.statusCode());
        assertEquals("nosniff", header(forbidden, "X-Content-Type-Options"));
        assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, header(forbidden, "Content-Security-Policy"));
    }

    @Test
    void jettysOwnRefusalOfAMalformedRequestIsJsonUnderThePolicyToo() throws IOException {
        String response;
        try (Socket socket = new Socket("localhost", server.web.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /api/runs/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        assertTrue(response.contains("Content-Security-Policy: " + SecurityHeaders.CONTENT_SECURITY_POLICY), response);
        assertTrue(response.contains("the request is malformed"), response); // JettyErrors, not the app
    }

    @Test
    void thePolicyAllowsOnlyThisSitesOwnFilesAndNoInlineCode() {
        String csp = SecurityHeaders.CONTENT_SECURITY_POLICY;

        assertFalse(csp.contains("unsafe-inline"));
        assertFalse(csp.contains("unsafe-eval"));
        assertTrue(csp.contains("script-src 'self'"));
        assertTrue(csp.contains("object-src 'none'"));
        assertTrue(csp.contains("base-uri 'none'"));
    }

    /** The policy forbids inline code, so the pages must not have any (or they would break in the browser). */
    @ParameterizedTest
    @ValueSource(strings = {"/", "/runs/RUN", "/compare?runs=RUN", "/no/such/page"})
    void thePagesHaveNoInlineScriptStyleOrEventHandler(String path) {
        String html = server.get(path.replace("RUN", run)).body();

        Matcher scripts = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE).matcher(html);
        int count = 0;
        while (scripts.find()) {
            assertTrue(scripts.group(1).contains("src=\"/"), "every script is a file of this site: " + scripts.group());
            count++;
        }
        assertTrue(count >= 1 || path.startsWith("/no/"), path + " loads its script");
        assertFalse(Pattern.compile("<style\\b", Pattern.CASE_INSENSITIVE).matcher(html).find(), "no <style> in " + path);
        assertFalse(Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no style attribute in " + path);
        assertFalse(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no inline event handler in " + path);
        assertFalse(html.toLowerCase().contains("javascript:"), "no javascript: URL in " + path);
    }

    @Test
    void apiAnswersAreNotCached() {
        assertEquals("no-store", header(server.get("/api/runs"), "Cache-Control"));
    }

    @Test
    void overHttpsBrowsersAreToldToStayOnHttps() {
        try (TestServer proxied = TestServer.start(TestServer.SETTINGS.withTrustForwardedFor(true))) {
            HttpResponse<String> https = proxied.send(proxied.stranger, "GET", "/", null, "X-Forwarded-Proto", "https");
            HttpResponse<String> http = proxied.get("/");

            assertTrue(header(https, "Strict-Transport-Security").startsWith("max-age="));
            assertEquals("", header(http, "Strict-Transport-Security"));
        }
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse("");
    }
}
