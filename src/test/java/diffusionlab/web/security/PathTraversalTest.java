package diffusionlab.web.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing a client sends becomes a file path: static files come only from the jar's /static and the
 * webjar, whatever dots, escapes or encodings the path holds, and run ids are looked up only when they look
 * like the registry's own. Sent raw, so the client library does not tidy the paths first.
 */
class PathTraversalTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    @ParameterizedTest
    @ValueSource(strings = {"/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/static/..%2f..%2f..%2fetc%2fpasswd", "/static/%252e%252e/%252e%252e/etc/passwd",
            "/static/..\\\\..\\\\etc\\\\passwd", "/static/../diffusionlab/web/WebApp.class",
            "/static/..%2fdiffusionlab%2fweb%2fWebApp.class", "/static/%2e%2e/simplelogger.properties",
            "/webjars/../diffusionlab/Main.class", "/webjars/chart.js/4.4.1/../../../../META-INF/MANIFEST.MF",
            "/static/js/..%00/../../etc/passwd", "/static/file:/etc/passwd", "/static//etc/passwd",
            "/api/runs/..%2f..%2fetc%2fpasswd/loss.csv", "/api/runs/%2e%2e/config.json", "/runs/..%2f..%2fetc%2fpasswd",
            "/api/runs/....//....//etc/passwd/samples.csv", "/lesson/..%2f..%2fetc%2fpasswd",
            "/webjars/katex/0.16.47/../../../../META-INF/MANIFEST.MF"})
    void nothingOutsideTheStaticFilesIsServed(String path) throws IOException {
        String response = raw(path);

        int status = Integer.parseInt(response.substring(9, 12));
        assertTrue(status >= 300 && status < 500, path + " answered " + status);
        assertFalse(response.contains("root:x:0:0"), path + " served /etc/passwd");
        assertFalse(response.contains("Main-Class") || response.contains("org.slf4j.simpleLogger"),
                path + " served a file of the jar");
        assertFalse(response.contains("\u00ca\u00fe\u00ba\u00be"), path + " served a class file");
    }

    private static String raw(String path) throws IOException {
        try (Socket socket = new Socket("localhost", server.web.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(bytes);
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
