package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.PictureKind;
import diffusionlab.training.RunEvent;
import org.junit.jupiter.api.Test;

class PictureCodecTest {

    @SuppressWarnings("unchecked")
    private static <P extends RunEvent.Picture> P roundTrip(P picture) {
        RunEvent.Picture back = PictureCodec.decode(picture.kind(), PictureCodec.encode(picture));
        assertEquals(picture.kind(), back.kind());
        assertEquals(picture.trainingStep(), back.trainingStep());
        return (P) back;
    }

    @Test
    void framesRoundTripExactly() {
        RunEvent.Frames f = new RunEvent.Frames(PictureKind.REVERSE, 1234, new int[] {0, 50, 100},
                new float[][] {{1, 2, 3, 4}, {-0.5f, Float.MIN_VALUE}, {}});
        RunEvent.Frames back = roundTrip(f);
        assertArrayEquals(f.ts(), back.ts());
        assertEquals(3, back.clouds().length);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(f.clouds()[i], back.clouds()[i]);
        }
    }

    @Test
    void motionRoundTripsExactly() {
        RunEvent.Motion m = new RunEvent.Motion(77, new int[] {2, 1, 0}, new float[][] {{1, 2}, {1.5f, Float.NaN}, {0, 0}});
        RunEvent.Motion back = roundTrip(m);
        assertArrayEquals(m.ts(), back.ts());
        for (int j = 0; j < 3; j++) {
            assertArrayEquals(m.states()[j], back.states()[j]);
        }
    }

    @Test
    void aFieldRoundTripsExactly() {
        RunEvent.Field f = new RunEvent.Field(7, new int[] {1, 2}, 21, -1.25, 3.5, new float[][] {{1, 2}, {3, 4}});
        RunEvent.Field back = roundTrip(f);
        assertEquals(21, back.size());
        assertEquals(-1.25, back.min());
        assertEquals(3.5, back.max());
        assertArrayEquals(f.ts(), back.ts());
        assertArrayEquals(f.vectors()[1], back.vectors()[1]);
    }

    @Test
    void qualityAgainstSamplingStepsRoundTripsExactlyWithItsMissingValues() {
        RunEvent.Quality q = new RunEvent.Quality(42, "ddim", 1650, new int[] {1, 2, 4, 100},
                new double[] {0.9, 0.31, Double.NaN, 0.02}, 0.125);
        RunEvent.Quality back = roundTrip(q);
        assertEquals("ddim", back.sampler());
        assertEquals(1650, back.points());
        assertArrayEquals(q.evaluations(), back.evaluations());
        assertArrayEquals(q.distances(), back.distances());
        assertEquals(0.125, back.straightness());
    }

    @Test
    void samplesWithAndWithoutTrajectoriesRoundTrip() {
        RunEvent.Samples plain = new RunEvent.Samples(9, "ancestral", new float[] {1, 2, 3, 4}, null);
        RunEvent.Samples back = roundTrip(plain);
        assertEquals("ancestral", back.sampler());
        assertArrayEquals(plain.cloud(), back.cloud());
        assertNull(back.trajectories());

        RunEvent.Samples langevin = new RunEvent.Samples(9, "langevin", new float[] {5, 6}, new float[][] {{1, 1}, {2, 2}});
        assertArrayEquals(langevin.trajectories()[1], roundTrip(langevin).trajectories()[1]);
    }

    @Test
    void twoThousandPointsTakeSixteenKilobytesAndAFewBytes() {
        float[] cloud = new float[4000];
        byte[] blob = PictureCodec.encode(new RunEvent.Samples(1, "ddim", cloud, null));
        assertTrue(blob.length < 16_000 + 64, "" + blob.length);
        assertArrayEquals(cloud, roundTrip(new RunEvent.Data(cloud)).cloud());
    }

    @Test
    void aBlobOfTheWrongKindIsAnError() {
        byte[] forward = PictureCodec.encode(new RunEvent.Frames(PictureKind.FORWARD, 1, new int[1], new float[1][2]));
        assertThrows(IllegalArgumentException.class, () -> PictureCodec.decode(PictureKind.REVERSE, forward));
    }

    @Test
    void aCorruptBlobIsAnErrorNotAGiantAllocation() {
        byte[] blob = PictureCodec.encode(new RunEvent.Data(new float[] {1, 2}));
        blob[1] = 0x7F; // the length now claims far more than the blob holds
        assertThrows(IllegalArgumentException.class, () -> PictureCodec.decode(PictureKind.DATA, blob));
        assertThrows(IllegalArgumentException.class, () -> PictureCodec.decode(PictureKind.DATA, new byte[] {9}));
    }
}
