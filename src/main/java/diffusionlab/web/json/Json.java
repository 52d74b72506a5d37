package diffusionlab.web.json;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one way this app reads and writes JSON. */
public final class Json {
    private Json() {
    }

    /**
     * A mapper that rejects duplicate keys and trailing garbage, so a sloppy body is a 400, not a guess, and
     * writes {@code < > & ' } and the two Unicode line separators as {@code \\uXXXX}: the same JSON, but inert
     * even if it ever lands inside HTML or a script.
     */
    public static ObjectMapper mapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        mapper.getFactory().setCharacterEscapes(new HtmlSafe());
        return mapper;
    }

    /** Jackson's standard escapes plus the characters that mean something to an HTML parser. */
    private static final class HtmlSafe extends CharacterEscapes {
        private final int[] ascii;

        HtmlSafe() {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            for (char c : new char[] {'<', '>', '&', '\''}) {
                ascii[c] = CharacterEscapes.ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 || ch == 0x2029 ? new SerializedString(
                    String.format("\\u%04x", ch)) : null;
        }
    }
}
