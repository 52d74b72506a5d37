package diffusionlab.engine.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.Rng;
import diffusionlab.engine.data.Dataset;
import diffusionlab.engine.data.DatasetKind;
import org.junit.jupiter.api.Test;

class SlicedWassersteinTest {

    @Test
    void aShiftByDIsAtDistanceDOnAverageOverDirections() {
        float[] a = Dataset.of(DatasetKind.MOONS, 0.05).sample(4000, new Rng(1));
        float[] b = a.clone();
        for (int i = 0; i < b.length; i += 2) {
            b[i] += 0.5f;
        }
        // projecting a shift (0.5, 0) on w gives 0.5 cos(theta); E[cos^2] = 1/2, so SW = 0.5 / sqrt(2)
        assertEquals(0.5 / Math.sqrt(2), SlicedWasserstein.distance(a, b, 512, new Rng(2)), 0.02);
        assertEquals(0.0, SlicedWasserstein.distance(a, a, 16, new Rng(2)), 1e-12);
    }

    @Test
    void separatesDatasetsThatTwoDrawsOfOneDoNot() {
        Dataset roll = Dataset.of(DatasetKind.SWISS_ROLL, 0.5);
        double same = SlicedWasserstein.distance(roll.sample(2000, new Rng(1)), roll.sample(2000, new Rng(2)), 64, new Rng(3));
        double other = SlicedWasserstein.distance(roll.sample(2000, new Rng(1)),
                Dataset.of(DatasetKind.CIRCLES, 0.03).sample(2000, new Rng(2)), 64, new Rng(3));
        assertTrue(other > 5 * same, same + " vs " + other);
    }
}
