package diffusionlab.web.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.data.Dataset;
import diffusionlab.training.ConfigParser;
import diffusionlab.web.errors.HttpProblem;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodyTest {
    private static final Set<String> FIELDS = ConfigParser.FIELDS;
    private final JsonBody body = new JsonBody(8_000_000, 0);

    private Map<String, Object> read(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return body.read(new ByteArrayInputStream(bytes), bytes.length, FIELDS);
    }

    private HttpProblem refused(String json) {
        return assertThrows(HttpProblem.class, () -> read(json));
    }

    @Test
    void pointsArriveAsOneFlatFloatArrayFromPairsOrNumbers() {
        Map<String, Object> pairs = read("{\"dataset\": \"points\", \"points\": [[1, 2.5], [-3, 4e-1]], \"steps\": 10}");
        assertArrayEquals(new float[] {1, 2.5f, -3, 0.4f}, (float[]) pairs.get("points"));
        assertEquals("points", pairs.get("dataset"));
        assertEquals(10, ((Number) pairs.get("steps")).intValue());
        assertArrayEquals(new float[] {1, 2, 3, 4}, (float[]) read("{\"points\": [1, 2, 3, 4]}").get("points"));
        assertArrayEquals(new float[0], (float[]) read("{\"points\": []}").get("points"));
        assertEquals("0,0\n1,1", read("{\"points\": \"0,0\\n1,1\"}").get("points"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, [2, 3]]", "[[1, 2], 3]", "[[1, 2, 3]]", "[[1]]", "[[]]", "[[\"1\", \"2\"]]",
            "[1, \"2\"]", "[[1, 2], [3, [4]]]", "[null, 1]", "[[1, 2], {}]", "{\"x\": 1}", "3", "true"})
    void pointsOfMixedOrWrongShapesAreA400NamingPoints(String points) {
        HttpProblem e = refused("{\"dataset\": \"points\", \"points\": " + points + "}");
        assertEquals(400, e.status());
        assertEquals("points", e.field());
    }

    @Test
    void morePointsThanAllowedAreRefusedTheMomentTheCapIsPassed() {
        CountingStream pairs = new CountingStream("{\"points\": [", "[0.5, -0.5], ");
        HttpProblem e = assertThrows(HttpProblem.class, () -> body.read(pairs, -1, FIELDS));
        assertEquals("points", e.field());
        assertTrue(e.getMessage().contains(String.valueOf(Dataset.MAX_POINTS)), e.getMessage());
        long needed = (Dataset.MAX_POINTS + 1) * 13L;
        assertTrue(pairs.served < needed + 100_000, "read " + pairs.served + " bytes for " + needed);

        CountingStream numbers = new CountingStream("{\"points\": [", "1, ");
        assertEquals("points", assertThrows(HttpProblem.class, () -> body.read(numbers, -1, FIELDS)).field());
        assertTrue(numbers.served < (2L * Dataset.MAX_POINTS + 1) * 3 + 100_000, "read " + numbers.served);
    }

    @Test
    void millionsOfEmptyPairsAreRefusedAtTheFirst() {
        CountingStream empties = new CountingStream("{\"dataset\": \"points\", \"points\": [", "[], ");
        assertEquals("points", assertThrows(HttpProblem.class, () -> body.read(empties, -1, FIELDS)).field());
        assertTrue(empties.served < 100_000, "read " + empties.served + " bytes");
    }

    @Test
    void anUnknownOrRepeatedFieldOrANestedValueIsA400NamingIt() {
        assertEquals("learningRate", refused("{\"learningRate\": 0.1}").field());
        assertEquals("steps", refused("{\"steps\": 10, \"steps\": 20}").field());
        assertEquals("name", refused("{\"name\": [\"a\"]}").field());
        assertEquals("seed", refused("{\"seed\": {\"a\": 1}}").field());
        CountingStream keys = new CountingStream("{", "\"a\": 1, ");
        assertEquals("a", assertThrows(HttpProblem.class, () -> body.read(keys, -1, FIELDS)).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[]", "3", "\"x\"", "{\"steps\": 1} {}", "{\"steps\": 1}]", "{\"steps\": }",
            "{\"steps\": 1"})
    void aBodyThatIsNotOneJsonObjectIsA400(String json) {
        assertEquals(400, refused(json).status());
    }

    @Test
    void aBodyLargerThanTheLimitIsA413WhetherAnnouncedOrNot() {
        JsonBody small = new JsonBody(1000, 0);
        String json = "{\"name\": \"" + "x".repeat(2000) + "\"}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(413, assertThrows(HttpProblem.class,
                () -> small.read(new ByteArrayInputStream(bytes), bytes.length, FIELDS)).status());
        assertEquals(413, assertThrows(HttpProblem.class,
                () -> small.read(new ByteArrayInputStream(bytes), -1, FIELDS)).status());
    }

    @Test
    void bodiesBeyondTheSharedBudgetAre429UntilTheOthersAreRead() throws Exception {
        JsonBody shared = new JsonBody(200_000, 0); // the budget: one largest body and a little
        byte[] large = ("{\"name\": \"" + "x".repeat(150_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        CountDownLatch halfRead = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InputStream slow = new InputStream() { // sends all but the end, then waits
            private int next;

            @Override
            public int read() {
                if (next == large.length - 2) {
                    halfRead.countDown();
                    await(release);
                }
                return next < large.length ? large[next++] : -1;
            }
        };
        CompletableFuture<Map<String, Object>> first = CompletableFuture.supplyAsync(
                () -> shared.read(slow, large.length, FIELDS));
        assertTrue(halfRead.await(10, TimeUnit.SECONDS));

        HttpProblem e = assertThrows(HttpProblem.class,
                () -> shared.read(new ByteArrayInputStream(large), large.length, FIELDS));
        assertEquals(429, e.status());
        assertEquals(JsonBody.RETRY_AFTER_SECONDS, e.retryAfterSeconds());
        assertEquals(1, read("{\"steps\": 1}").size(), "a small body still fits");

        release.countDown();
        assertEquals(150_000, ((String) first.get(10, TimeUnit.SECONDS).get("name")).length());
        assertEquals(150_000, ((String) shared.read(new ByteArrayInputStream(large), large.length, FIELDS)
                .get("name")).length(), "the budget is given back");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A head, then the same piece over and over without end; counts what it served. */
    private static final class CountingStream extends InputStream {
        private final byte[] head;
        private final byte[] piece;
        long served;

        CountingStream(String head, String piece) {
            this.head = head.getBytes(StandardCharsets.UTF_8);
            this.piece = piece.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            long i = served++;
            return i < head.length ? head[(int) i] : piece[(int) ((i - head.length) % piece.length)];
        }
    }
}
