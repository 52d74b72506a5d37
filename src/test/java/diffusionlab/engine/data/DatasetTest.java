package diffusionlab.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.Rng;
import org.junit.jupiter.api.Test;

class DatasetTest {

    @Test
    void sameSeedGivesTheSamePoints() {
        for (DatasetKind kind : DatasetKind.values()) {
            if (kind == DatasetKind.POINTS) {
                continue;
            }
            Dataset d = Dataset.of(kind, kind.defaultNoise());
            assertArrayEquals(d.sample(500, new Rng(42)), d.sample(500, new Rng(42)), kind.id());
        }
    }

    @Test
    void swissRollMatchesSklearnsMoments() {
        // sklearn: make_swiss_roll(200000, noise=0.5)[:, [0, 2]] / 10 has mean (0.201, 0.020), std (0.665, 0.697)
        float[] x = Dataset.of(DatasetKind.SWISS_ROLL, 0.5).sample(200_000, new Rng(0));
        double[] mean = new double[2];
        double[] sq = new double[2];
        for (int i = 0; i < x.length; i++) {
            mean[i % 2] += x[i];
            sq[i % 2] += (double) x[i] * x[i];
        }
        int n = x.length / 2;
        assertEquals(0.201, mean[0] / n, 0.01);
        assertEquals(0.020, mean[1] / n, 0.01);
        assertEquals(0.665, Math.sqrt(sq[0] / n - Math.pow(mean[0] / n, 2)), 0.01);
        assertEquals(0.697, Math.sqrt(sq[1] / n - Math.pow(mean[1] / n, 2)), 0.01);
    }

    @Test
    void everyDatasetStaysWithinTheDashboardsRange() {
        for (DatasetKind kind : DatasetKind.values()) {
            if (kind == DatasetKind.POINTS) {
                continue;
            }
            float[] x = Dataset.of(kind, kind.defaultNoise()).sample(5000, new Rng(1));
            for (float v : x) {
                assertTrue(Math.abs(v) < 3, kind.id() + " " + v);
            }
        }
    }

    @Test
    void userPointsAreValidatedAndResampled() {
        assertThrows(IllegalArgumentException.class, () -> Dataset.ofPoints(new float[18], 0));
        float[] bad = new float[40];
        bad[3] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> Dataset.ofPoints(bad, 0));
        float[] pts = new float[40];
        for (int i = 0; i < 40; i++) {
            pts[i] = i;
        }
        float[] drawn = Dataset.ofPoints(pts, 0).sample(20, new Rng(1));
        assertArrayEquals(pts, drawn, "n equal to the number of points returns them in order");
    }
}
