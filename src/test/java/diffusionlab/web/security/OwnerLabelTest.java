package diffusionlab.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OwnerLabelTest {
    private static final String ONE = OwnerCookie.hash("one browser's secret");
    private static final String OTHER = OwnerCookie.hash("another browser's secret");

    @Test
    void oneBrowserAlwaysGetsTheSameShortLabelAndAnotherAnother() {
        assertEquals(OwnerLabel.of(ONE), OwnerLabel.of(ONE));
        assertNotEquals(OwnerLabel.of(ONE), OwnerLabel.of(OTHER));
        assertTrue(OwnerLabel.of(ONE).matches("student [0-9a-f]{6}"), OwnerLabel.of(ONE));
    }

    @Test
    void theLabelGivesAwayNoPartOfTheStoredHash() {
        String hex = OwnerLabel.of(ONE).substring("student ".length());
        assertFalse(ONE.startsWith(hex));
    }

    @Test
    void aRunWithoutAnOwnerIsNobodys() {
        assertEquals("nobody", OwnerLabel.of(null));
        assertEquals("nobody", OwnerLabel.of(""));
    }
}
