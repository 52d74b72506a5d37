package diffusionlab.web.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.web.errors.HttpProblem;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Reads a request body that must be one JSON object, at most {@code maxBytes} long: a missing or
 * malformed body is a 400, a larger one a 413, whether or not the client announced its length.
 */
public final class JsonBody {
    private final ObjectMapper mapper;
    private final int maxBytes;

    public JsonBody(ObjectMapper mapper, int maxBytes) {
        this.mapper = mapper;
        this.maxBytes = maxBytes;
    }

    public Map<String, Object> readObject(Context ctx) {
        byte[] bytes = readBounded(ctx);
        if (bytes.length == 0) {
            throw HttpProblem.badRequest("the body must be a JSON object, e.g. {\"dataset\": \"moons\"}", null);
        }
        Object value;
        try {
            value = mapper.readValue(bytes, Object.class);
        } catch (JsonProcessingException e) {
            throw HttpProblem.badRequest("the body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw HttpProblem.badRequest("the body could not be read", null);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw HttpProblem.badRequest("the body must be a JSON object, e.g. {\"dataset\": \"moons\"}", null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        return object;
    }

    private byte[] readBounded(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw HttpProblem.badRequest("the body could not be read", null);
        }
    }

    private HttpProblem tooLarge() {
        return HttpProblem.tooLarge("the body is larger than " + maxBytes / 1_000_000 + " MB");
    }
}
