package diffusionlab.engine.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DdimSamplerTest {

    @Test
    void timestepSubsequenceIsStrictlyIncreasingAndEndsAtTheLastStep() {
        for (DdimSampler.Spacing spacing : DdimSampler.Spacing.values()) {
            for (int s : new int[] {1, 2, 10, 37, 100, 500}) {
                int[] tau = DdimSampler.timesteps(100, s, spacing);
                assertEquals(Math.min(s, 100), tau.length);
                assertEquals(99, tau[tau.length - 1]);
                for (int i = 1; i < tau.length; i++) {
                    assertTrue(tau[i] > tau[i - 1], spacing + " " + s);
                }
                assertTrue(tau[0] >= 0);
            }
        }
    }
}
