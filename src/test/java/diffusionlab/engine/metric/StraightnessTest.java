package diffusionlab.engine.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import diffusionlab.engine.sample.Chain;
import org.junit.jupiter.api.Test;

class StraightnessTest {
    @Test
    void aStraightPathAtConstantSpeedIsZero() {
        // two particles from t = 4 (noise) to 0, each moving by the same step every unit of time
        float[][] states = new float[5][];
        for (int i = 0; i < 5; i++) {
            states[i] = new float[] {i, 2 * i, -1 + 0.5f * i, 3};
        }
        assertEquals(0, Straightness.chordDeviation(new Chain(states, new int[] {4, 3, 2, 1, 0})), 1e-12);
    }

    @Test
    void aDetourIsItsMeanSquaredDistanceFromTheChordAtTheSameTime() {
        // one particle from (0, 0) to (2, 0) through (1, 1) at the middle: deviations 0, 1, 0 -> S = 1/3
        float[][] states = {{0, 0}, {1, 1}, {2, 0}};
        assertEquals(1.0 / 3, Straightness.chordDeviation(new Chain(states, new int[] {0, 5, 10})), 1e-12);
    }

    @Test
    void theChordIsFollowedInTheChainsOwnTimeNotItsStateCount() {
        // on the segment but at the wrong time: at k = 1 of 4 the chord is at x = 0.25, the particle at 0.5
        float[][] states = {{0, 0}, {0.5f, 0}, {1, 0}};
        assertEquals(0.0625 / 3, Straightness.chordDeviation(new Chain(states, new int[] {0, 1, 4})), 1e-9);
    }
}
