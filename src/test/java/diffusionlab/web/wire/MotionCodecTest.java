package diffusionlab.web.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.engine.Rng;
import diffusionlab.training.PictureDrawer;
import diffusionlab.training.RunEvent;
import diffusionlab.web.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MotionCodecTest {
    private static final int N = PictureDrawer.MOTION_POINTS;
    private static final int STATES = PictureDrawer.MOTION_STATES;

    /** A chain like the reverse process: N(0, I) contracting towards two clusters, with noise at every step. */
    private static float[][] chain(int n, int states) {
        Rng rng = new Rng(3);
        float[][] chain = new float[states][];
        chain[0] = new float[2 * n];
        rng.fillGaussian(chain[0], 0, chain[0].length);
        float[] noise = new float[2 * n];
        for (int j = 1; j < states; j++) {
            rng.fillGaussian(noise, 0, noise.length);
            float[] x = chain[j - 1].clone();
            for (int i = 0; i < x.length; i++) {
                float target = (i & 1) == 0 ? ((i / 2) % 2 == 0 ? 1 : -1) : 0.5f;
                x[i] += 0.05f * (target - x[i]) + 0.1f * (1 - (float) j / states) * noise[i];
            }
            chain[j] = x;
        }
        return chain;
    }

    @Test
    void everyStateComesBackWithinHalfAStepOfItsScaleWithoutAddingUpAlongTheChain() {
        float[][] states = chain(N, STATES);
        PackedMotion packed = MotionCodec.pack(states);
        float[][] back = MotionCodec.unpack(packed);

        assertEquals(STATES, back.length);
        assertEquals(STATES - 1, packed.scales().length);
        double startError = 0;
        for (int i = 0; i < 2 * N; i++) {
            startError = Math.max(startError, Math.abs(back[0][i] - states[0][i]));
        }
        assertTrue(startError < 1e-3, "first state within 16-bit quantisation, off by " + startError);
        for (int j = 1; j < STATES; j++) {
            double bound = packed.scales()[j - 1] / 2 + 1e-5;
            for (int i = 0; i < 2 * N; i++) {
                assertTrue(Math.abs(back[j][i] - states[j][i]) <= bound,
                        "state " + j + " coordinate " + i + " off by " + Math.abs(back[j][i] - states[j][i]));
            }
        }
    }

    @Test
    void aCoordinateThatStopsBeingFiniteIsMissingFromThenOn() {
        float[][] states = {{0, 0, 1, 1}, {0.5f, Float.NaN, 1, 1}, {0.25f, 3, Float.POSITIVE_INFINITY, 2}};
        float[][] back = MotionCodec.unpack(MotionCodec.pack(states));

        assertTrue(Float.isNaN(back[1][1]));
        assertTrue(Float.isNaN(back[2][1]), "missing from then on");
        assertTrue(Float.isNaN(back[2][2]));
        assertEquals(0.25f, back[2][0], 0.01f);
        assertArrayEquals(new float[] {1, 1}, new float[] {back[1][2], back[1][3]});
    }

    @Test
    void threeHundredParticlesThroughAHundredAndOneStatesAreWellUnder100KilobytesOnTheWire() throws Exception {
        int[] ts = new int[STATES];
        for (int j = 0; j < STATES; j++) {
            ts[j] = STATES - 1 - j;
        }
        String message = new WireFormat(Json.mapper()).encode(WireFormat.of(new RunEvent.Motion(6000, ts, chain(N, STATES))));

        int bytes = message.getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("motion of %d particles through %d states: %,d bytes on the wire%n", N, STATES, bytes);
        assertTrue(bytes < 85_000, bytes + " bytes");
        JsonNode json = new ObjectMapper().readTree(message);
        assertEquals("motion", json.get("type").asText());
        assertEquals(N, json.get("particles").get("n").asInt());
        assertEquals(STATES, json.get("ts").size());
    }
}
