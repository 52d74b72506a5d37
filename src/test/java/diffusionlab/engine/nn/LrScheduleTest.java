package diffusionlab.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void constantKeepsTheConfiguredRate() {
        assertEquals(1.0, LrSchedule.CONSTANT.factor(1, 100));
        assertEquals(1.0, LrSchedule.CONSTANT.factor(100, 100));
    }

    @Test
    void cosineWarmsUpLinearlyThenFallsAsAHalfCosineToZeroAtTheLastStep() {
        long k = 30_000; // W = min(K/20, 500) = 500
        assertEquals(1.0 / 500, LrSchedule.COSINE.factor(1, k), 1e-12);
        assertEquals(0.5, LrSchedule.COSINE.factor(250, k), 1e-12);
        assertEquals(1.0, LrSchedule.COSINE.factor(500, k), 1e-12);
        assertEquals(0.5, LrSchedule.COSINE.factor(500 + (k - 500) / 2, k), 1e-12);
        assertEquals(0.0, LrSchedule.COSINE.factor(k, k), 1e-12);
        double previous = 2;
        for (long s = 500; s <= k; s += 100) {
            double f = LrSchedule.COSINE.factor(s, k);
            assertTrue(f <= previous, "decreasing after the warm-up");
            previous = f;
        }
    }

    @Test
    void aShortRunWarmsUpForOneTwentiethOfItsSteps() {
        assertEquals(400, LrSchedule.warmup(8_000));
        assertEquals(1, LrSchedule.warmup(10));
        assertEquals(1.0, LrSchedule.COSINE.factor(1, 10), 1e-12);
        assertEquals(0.0, LrSchedule.COSINE.factor(10, 10), 1e-12);
    }
}
