package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;
import diffusionlab.engine.Trainer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PictureDrawerTest {

    private static PictureDrawer.Reverse reverse(RunConfig config) {
        Trainer trainer = new Trainer(config.experiment());
        float[] data = PictureDrawer.data(trainer.trainingData()).cloud();
        PictureDrawer drawer = new PictureDrawer(config.experiment().objective(), config.sampling(), trainer.schedule(),
                trainer.shape(), data);
        return drawer.reverse(trainer.view(true), 0, new Rng(1), Cancellation.NEVER);
    }

    @Test
    void theMotionFollowsTheSameChainAsTheFramesThroughEveryStep() {
        PictureDrawer.Reverse r = reverse(RunCostTest.config("timesteps", 100));

        int[] every = new int[101];
        Arrays.setAll(every, j -> 100 - j);
        assertArrayEquals(every, r.motion().ts(), "x_T .. x_0, every step");
        assertArrayEquals(PictureDrawer.frameSteps(100), r.frames().ts());
        assertEquals(2 * PictureDrawer.MOTION_POINTS, r.motion().states()[0].length);
        for (int i = 0; i < PictureDrawer.FRAMES; i++) {
            float[] frame = r.frames().clouds()[i];
            float[] state = r.motion().states()[100 - r.frames().ts()[i]];
            assertArrayEquals(state, Arrays.copyOf(frame, state.length), "frame " + i + " is the motion's state");
        }
    }

    @Test
    void aLongChainIsThinnedToAtMost101StatesFromNoiseToTheSamples() {
        PictureDrawer.Reverse r = reverse(RunCostTest.config("timesteps", 1000));

        int[] ts = r.motion().ts();
        assertTrue(ts.length <= PictureDrawer.MOTION_STATES, ts.length + " states");
        assertEquals(0, ts[ts.length - 1], "down to the samples");
        assertTrue(ts[0] >= 990, "from noise: " + ts[0]);
    }

    @Test
    void aFlowModelsReverseChainIsEulersPathFromTEqualsOneToZeroInTSteps() {
        PictureDrawer.Reverse r = reverse(RunCostTest.config("objective", "flow_matching", "timesteps", 100));

        int[] every = new int[101];
        Arrays.setAll(every, j -> 100 - j);
        assertArrayEquals(every, r.motion().ts(), "t · T from 1 to 0, every step");
        assertArrayEquals(PictureDrawer.frameSteps(100), r.frames().ts());
        for (float[] state : r.motion().states()) {
            for (float v : state) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void aFlowModelsForwardFramesLieOnTheStraightPath() {
        RunConfig config = RunCostTest.config("objective", "flow_matching", "timesteps", 100);
        Trainer trainer = new Trainer(config.experiment());
        float[] data = PictureDrawer.data(trainer.trainingData()).cloud();
        PictureDrawer drawer = new PictureDrawer(config.experiment().objective(), config.sampling(), trainer.schedule(),
                trainer.shape(), data);
        float[][] clouds = drawer.forward(data, new Rng(2)).clouds();
        assertArrayEquals(data, clouds[0], "t = 0: the data");
        double sq = 0;
        for (float v : clouds[PictureDrawer.FRAMES - 1]) {
            sq += (double) v * v;
        }
        // t = 1: pure noise (on the diffusion schedule x_T still holds sqrt(alphaBar_T) = 0.073 of the data)
        assertEquals(1.0, sq / clouds[PictureDrawer.FRAMES - 1].length, 0.08);
    }

    @Test
    void theFieldCoversThePlottedSquare() {
        assertEquals(3.2, PictureDrawer.plotReach(new float[] {-1, -0.5f, 2, 1}), 1e-9, "N(0, I) out to 3.2");
        double reach = PictureDrawer.plotReach(new float[] {-4, 0, 6, 1});
        assertEquals(1 + 1.15 * 5, reach, 1e-6, "the data with a 15% margin, centred on 0 as the plots are");
    }
}
