package diffusionlab.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChainTest {
    /** A chain of k states of 3 points, point p of state j at (j, 10 p). */
    private static Chain chain(int k) {
        float[][] states = new float[k][6];
        for (int j = 0; j < k; j++) {
            for (int p = 0; p < 3; p++) {
                states[j][2 * p] = j;
                states[j][2 * p + 1] = 10 * p;
            }
        }
        return new Chain(states, new int[k]);
    }

    @Test
    void aShortChainGivesEveryStateOfTheFirstPoints() {
        float[][] paths = chain(5).trajectories(2, 101);
        assertEquals(2, paths.length);
        assertArrayEquals(new float[] {0, 10, 1, 10, 2, 10, 3, 10, 4, 10}, paths[1]);
    }

    @Test
    void aLongChainIsThinnedButAlwaysEndsAtTheSample() {
        for (int k : new int[] {2, 101, 102, 1000, 1001, 1002, 5001}) {
            float[][] paths = chain(k).trajectories(16, 101);
            assertEquals(3, paths.length, "never more paths than points");
            float[] path = paths[0];
            assertEquals(true, path.length / 2 <= 101, k + " states: " + path.length / 2);
            assertEquals(0f, path[0], "starts at the first state");
            assertEquals(k - 1, path[path.length - 2], "ends at the last state of a chain of " + k);
            for (int j = 2; j < path.length; j += 2) {
                assertEquals(true, path[j] > path[j - 2], "states in order");
            }
        }
    }
}
