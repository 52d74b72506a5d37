package diffusionlab.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.CostLimits;
import diffusionlab.web.security.FairShares;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shares and cost limits come from the environment, with defaults for this heap. */
class WebSettingsTest {
    @Test
    void theSharesAndCostLimitsAreReadFromTheEnvironment() {
        WebSettings s = WebSettings.fromEnvironment(Map.of("ACTIVE_RUNS_PER_CLIENT", "2", "VIEWERS_PER_CLIENT", "40",
                "SAMPLES_PER_CLIENT", "3", "RUN_MEMORY_MB", "150", "SAMPLE_SECONDS", "20"));
        assertEquals(new FairShares(2, 40, 3), s.shares());
        assertEquals(new CostLimits(150L << 20, 20), s.costs());
    }

    @Test
    void withoutThemTheDefaultsScaleWithTheHeap() {
        WebSettings s = WebSettings.fromEnvironment(Map.of());
        assertEquals(FairShares.DEFAULTS, s.shares());
        assertEquals(CostLimits.forHeap(Runtime.getRuntime().maxMemory()).runBytes() >> 20, s.costs().runBytes() >> 20);
    }

    @Test
    void aBadValueIsRefusedNamingTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebSettings.fromEnvironment(Map.of("RUN_MEMORY_MB", "lots")));
        assertTrue(e.getMessage().startsWith("RUN_MEMORY_MB must be a whole number"), e.getMessage());
    }
}
