package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.RunEvent;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    @Test
    void framesRoundTripExactly() {
        RunEvent.Frames f = new RunEvent.Frames("reverse", 1234, new int[] {0, 50, 100},
                new float[][] {{1, 2, 3, 4}, {-0.5f, Float.MIN_VALUE}, {}});
        RunEvent.Frames back = FrameCodec.decodeFrames(FrameCodec.encode(f));
        assertEquals("reverse", back.kind());
        assertEquals(1234, back.trainingStep());
        assertArrayEquals(f.ts(), back.ts());
        assertEquals(3, back.clouds().length);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(f.clouds()[i], back.clouds()[i]);
        }
    }

    @Test
    void aFieldRoundTripsExactly() {
        RunEvent.Field f = new RunEvent.Field(7, new int[] {1, 2}, 21, -1.25, 3.5, new float[][] {{1, 2}, {3, 4}});
        RunEvent.Field back = FrameCodec.decodeField(FrameCodec.encode(f));
        assertEquals(7, back.trainingStep());
        assertEquals(21, back.size());
        assertEquals(-1.25, back.min());
        assertEquals(3.5, back.max());
        assertArrayEquals(f.ts(), back.ts());
        assertArrayEquals(f.vectors()[1], back.vectors()[1]);
    }

    @Test
    void samplesWithAndWithoutTrajectoriesRoundTrip() {
        RunEvent.Samples plain = new RunEvent.Samples(9, "ancestral", new float[] {1, 2, 3, 4}, null);
        RunEvent.Samples back = FrameCodec.decodeSamples(FrameCodec.encode(plain));
        assertEquals("ancestral", back.sampler());
        assertArrayEquals(plain.cloud(), back.cloud());
        assertNull(back.trajectories());

        RunEvent.Samples langevin = new RunEvent.Samples(9, "langevin", new float[] {5, 6}, new float[][] {{1, 1}, {2, 2}});
        assertArrayEquals(langevin.trajectories()[1], FrameCodec.decodeSamples(FrameCodec.encode(langevin)).trajectories()[1]);
    }

    @Test
    void twoThousandPointsTakeSixteenKilobytesAndAFewBytes() {
        float[] cloud = new float[4000];
        byte[] blob = FrameCodec.encode(new RunEvent.Samples(1, "ddim", cloud, null));
        assertTrue(blob.length < 16_000 + 64, "" + blob.length);
        assertArrayEquals(cloud, FrameCodec.decodeData(FrameCodec.encodeData(cloud)));
    }

    @Test
    void aCorruptBlobIsAnErrorNotAGiantAllocation() {
        byte[] blob = FrameCodec.encodeData(new float[] {1, 2});
        blob[1] = 0x7F; // the length now claims far more than the blob holds
        assertThrows(IllegalArgumentException.class, () -> FrameCodec.decodeData(blob));
        assertThrows(IllegalArgumentException.class, () -> FrameCodec.decodeData(new byte[] {9}));
    }
}
