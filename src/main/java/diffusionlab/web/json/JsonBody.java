package diffusionlab.web.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import diffusionlab.engine.data.Dataset;
import diffusionlab.training.FieldType;
import diffusionlab.web.errors.HttpProblem;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * Reads a request body that must be one flat JSON object of known fields, in bounded memory: it is parsed
 * as it arrives, never held whole, and never becomes a tree. A value is a string, number, boolean or null;
 * the one array allowed is {@value #POINTS}, either {@code [[x, y], ...]} or {@code [x, y, ...]}, which goes
 * straight into a float array and is refused the moment it passes {@link Dataset#MAX_POINTS} pairs. An
 * unknown or repeated field, a list or object anywhere else, or a pair that is not two numbers is refused
 * on sight, so a body holds at most one value per known field plus the points: that bounds both the number
 * of tokens and the nesting depth (3).
 *
 * <p>Refusals: a missing, malformed or misshapen body is a 400 (naming the field when one is to blame), a
 * body longer than {@code maxBytes} a 413 (whether or not the client announced its length). Parsing costs
 * at most a few bytes of heap per byte read (a long string is held while it is read), so the bytes read by
 * all bodies being parsed at once share a budget; a body that would exceed it is a 429 with
 * {@code Retry-After}, and the client tries again a moment later.
 */
public final class JsonBody {
    /** The field that may hold an array. */
    static final String POINTS = "points";
    static final long RETRY_AFTER_SECONDS = 1;
    /** A body takes its share of the budget in pieces of this size, as it is read. */
    private static final int CHUNK = 64 * 1024;
    private static final int MAX_COORDINATES = 2 * Dataset.MAX_POINTS;
    private static final JsonFactory JSON = new JsonFactory();

    private final int maxBytes;
    private final Semaphore budget;

    /**
     * @param maxBytes    the largest body
     * @param budgetBytes what all bodies being parsed at once may have read together; at least one largest body
     */
    public JsonBody(int maxBytes, long budgetBytes) {
        this.maxBytes = maxBytes;
        this.budget = new Semaphore((int) Math.min(Integer.MAX_VALUE, Math.max(maxBytes + CHUNK, budgetBytes)));
    }

    /** The body's fields, each one of {@code fields}; {@value #POINTS}, when an array, as a float[]. */
    public Map<String, Object> readObject(Context ctx, Set<String> fields) {
        return readObject(ctx, fields, maxBytes);
    }

    /** The same for a route whose body is small: longer than {@code limit} bytes (at most the largest) is a 413. */
    public Map<String, Object> readObject(Context ctx, Set<String> fields, int limit) {
        try {
            return read(ctx.req().getInputStream(), ctx.req().getContentLengthLong(), fields, Math.min(limit, maxBytes));
        } catch (IOException e) {
            throw HttpProblem.badRequest("the body could not be read", null);
        }
    }

    /** The same from a stream whose announced length is {@code declaredLength} (-1: unknown). */
    Map<String, Object> read(InputStream body, long declaredLength, Set<String> fields) {
        return read(body, declaredLength, fields, maxBytes);
    }

    private Map<String, Object> read(InputStream body, long declaredLength, Set<String> fields, int limit) {
        if (declaredLength > limit) {
            throw tooLarge(limit);
        }
        try (Metered in = new Metered(body, limit)) {
            return parse(in, fields);
        } catch (TooLarge e) {
            throw tooLarge(limit);
        } catch (OverBudget e) {
            throw HttpProblem.tooManyRequests("the server is reading too many large requests at once; try again "
                    + "in a moment", RETRY_AFTER_SECONDS);
        } catch (IOException e) {
            throw HttpProblem.badRequest("the body could not be read", null);
        }
    }

    private static Map<String, Object> parse(InputStream in, Set<String> fields) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notAnObject();
            }
            Map<String, Object> object = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!fields.contains(name)) {
                    throw HttpProblem.badRequest("unknown field '" + abbreviate(name) + "'; allowed: "
                            + String.join(", ", fields.stream().sorted().toList()), abbreviate(name));
                }
                if (object.containsKey(name)) {
                    throw HttpProblem.badRequest(name + " is given twice", name);
                }
                p.nextToken();
                object.put(name, name.equals(POINTS) ? points(p) : scalar(p, name));
            }
            if (p.nextToken() != null) {
                throw notAnObject();
            }
            return object;
        } catch (JsonProcessingException e) {
            throw HttpProblem.badRequest("the body is not valid JSON: " + e.getOriginalMessage(), null);
        }
    }

    private static Object scalar(JsonParser p, String name) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
            case VALUE_NULL -> null;
            default -> throw HttpProblem.badRequest(name + " must be a single value, not a list or an object", name);
        };
    }

    /** Points as pairs or flat numbers into a growing float array; CSV text stays a string for the parser. */
    private static Object points(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NULL) {
            return scalar(p, POINTS);
        }
        if (token != JsonToken.START_ARRAY) {
            throw misshapen();
        }
        float[] xy = new float[256];
        int n = 0;
        boolean pairs = false;
        for (token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
            if (n == 0) {
                pairs = token == JsonToken.START_ARRAY;
            }
            int count = pairs ? 2 : 1;
            if (n + count > MAX_COORDINATES) {
                throw HttpProblem.badRequest(FieldType.Points.TOO_MANY, POINTS);
            }
            if (n + count > xy.length) {
                xy = Arrays.copyOf(xy, Math.min(2 * xy.length, MAX_COORDINATES));
            }
            if (pairs) {
                if (token != JsonToken.START_ARRAY) {
                    throw misshapen();
                }
                xy[n++] = number(p, p.nextToken());
                xy[n++] = number(p, p.nextToken());
                if (p.nextToken() != JsonToken.END_ARRAY) {
                    throw misshapen();
                }
            } else {
                xy[n++] = number(p, token);
            }
        }
        return Arrays.copyOf(xy, n);
    }

    private static float number(JsonParser p, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw misshapen();
        }
        return (float) p.getDoubleValue();
    }

    private static HttpProblem misshapen() {
        return HttpProblem.badRequest(FieldType.Points.SHAPE, POINTS);
    }

    private static HttpProblem notAnObject() {
        return HttpProblem.badRequest("the body must be one JSON object, e.g. {\"dataset\": \"moons\"}", null);
    }

    private static HttpProblem tooLarge(int limit) {
        return HttpProblem.tooLarge(limit >= 1_000_000 ? "the body is larger than " + limit / 1_000_000 + " MB"
                : "the body is larger than " + limit + " bytes");
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static final class TooLarge extends IOException {
    }

    private static final class OverBudget extends IOException {
    }

    /**
     * The request's bytes, counted: past its limit it throws {@link TooLarge}; it takes its share of
     * the budget in chunks as it reads, throws {@link OverBudget} when there is none left, and gives it all
     * back when closed.
     */
    private final class Metered extends InputStream {
        private final InputStream in;
        private final int limit;
        private long read;
        private int reserved;

        Metered(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > limit) {
                throw new TooLarge();
            }
            while (read > reserved) {
                if (!budget.tryAcquire(CHUNK)) {
                    throw new OverBudget();
                }
                reserved += CHUNK;
            }
        }

        @Override
        public void close() throws IOException {
            budget.release(reserved);
            reserved = 0;
            in.close();
        }
    }
}
