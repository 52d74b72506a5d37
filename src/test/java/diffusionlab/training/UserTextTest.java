package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UserTextTest {

    @Test
    void theLogGetsSeparatorsBidiControlsAndControlCharactersAsEscapes() {
        assertEquals("a\\u2028b\\u2029c", UserText.forLog("a\u2028b\u2029c"));
        assertEquals("\\u202Etxt.exe", UserText.forLog("\u202Etxt.exe"));
        assertEquals("line\\u000Ainjected\\u000D", UserText.forLog("line\ninjected\r"));
        assertEquals("zero\\u200Bwidth", UserText.forLog("zero\u200Bwidth"));
    }

    @Test
    void theLogGetsABackslashDoubledSoThatAnEscapeCannotBeFaked() {
        assertEquals("\\\\u2028", UserText.forLog("\\u2028"));
    }

    @Test
    void ordinaryTextReachesTheLogUnchanged() {
        for (String text : new String[] {"my run", "שלום", "café – 🌀", "<b>'\"&"}) {
            assertEquals(text, UserText.forLog(text));
        }
    }

    @Test
    void withoutRefusedDropsOnlyTheRefusedCharacters() {
        assertEquals("abc 🌀", UserText.withoutRefused("a\u202Eb\u2028c\u0000 🌀"));
    }
}
