package diffusionlab.web.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.Rng;
import org.junit.jupiter.api.Test;

class CloudCodecTest {

    @Test
    void aPackedCloudComesBackWithinTheQuantisationError() {
        float[] xy = new float[2 * 2000];
        new Rng(3).fillGaussian(xy, 0, xy.length);
        xy[0] = -4.5f;
        xy[1] = 7.25f;

        PackedCloud packed = CloudCodec.pack(xy);
        float[] back = CloudCodec.unpack(packed);

        assertEquals(2000, packed.n());
        assertEquals(-4.5f, packed.min()[0]);
        assertEquals(7.25f, packed.max()[1]);
        for (int i = 0; i < xy.length; i++) {
            double range = packed.max()[i & 1] - packed.min()[i & 1];
            assertEquals(xy[i], back[i], range / CloudCodec.LEVELS / 2 + 1e-6, "coordinate " + i);
        }
    }

    @Test
    void aMissingCoordinateStaysMissingAndDoesNotStretchTheBox() {
        float[] xy = {0f, 1f, Float.NaN, 2f, 3f, Float.POSITIVE_INFINITY};

        PackedCloud packed = CloudCodec.pack(xy);
        float[] back = CloudCodec.unpack(packed);

        assertEquals(0f, packed.min()[0]);
        assertEquals(3f, packed.max()[0]);
        assertEquals(2f, packed.max()[1]);
        assertTrue(Float.isNaN(back[2]));
        assertTrue(Float.isNaN(back[5]));
        assertEquals(3f, back[4], 1e-6);
    }

    @Test
    void aCloudOfOneRepeatedPointIsExact() {
        float[] back = CloudCodec.unpack(CloudCodec.pack(new float[] {1.5f, -2f, 1.5f, -2f}));

        assertEquals(1.5f, back[2]);
        assertEquals(-2f, back[3]);
    }
}
