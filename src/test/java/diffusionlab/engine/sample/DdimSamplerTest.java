package diffusionlab.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;
import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.nn.ParamLayout;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.engine.schedule.NoiseSchedule;
import diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

class DdimSamplerTest {

    @Test
    void timestepsTakeExactlySStepsFromTheLastStepToTheFirst() {
        assertArrayEquals(new int[] {0, 2, 5, 7, 9}, DdimSampler.timesteps(10, 5, DdimSampler.Spacing.UNIFORM));
        assertArrayEquals(new int[] {0, 3, 6, 9}, DdimSampler.timesteps(10, 4, DdimSampler.Spacing.UNIFORM));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                DdimSampler.timesteps(10, 50, DdimSampler.Spacing.UNIFORM));
        assertArrayEquals(new int[] {0, 1, 2, 5, 9}, DdimSampler.timesteps(10, 5, DdimSampler.Spacing.QUADRATIC));
        assertArrayEquals(new int[] {0, 1, 5, 11, 20, 31, 44, 60, 78, 99},
                DdimSampler.timesteps(100, 10, DdimSampler.Spacing.QUADRATIC));
        assertArrayEquals(new int[] {99}, DdimSampler.timesteps(100, 1, DdimSampler.Spacing.UNIFORM));
    }

    @Test
    void timestepsAreStrictlyIncreasingWithinTheSchedule() {
        for (DdimSampler.Spacing spacing : DdimSampler.Spacing.values()) {
            for (int s : new int[] {1, 2, 10, 37, 100, 500}) {
                int[] tau = DdimSampler.timesteps(100, s, spacing);
                assertEquals(Math.min(s, 100), tau.length, spacing + " " + s);
                assertTrue(tau[0] == (s == 1 ? 99 : 0) && tau[tau.length - 1] == 99, spacing + " " + s);
                for (int i = 1; i < tau.length; i++) {
                    assertTrue(tau[i] > tau[i - 1], spacing + " " + s);
                }
            }
        }
    }

    @Test
    void everyStateIsLabelledWithItsStep() {
        // tau = 0, 2, 5, 7, 9 (array indices): x_T at paper step 10, then 8, 6, 3, 1 and the data
        int T = 10;
        MlpShape shape = new MlpShape(2, 8, 2, 2, T);
        float[] params = new ParamLayout(shape).initialise(new Rng(3));
        ModelView view = new ModelView(shape, params, NoiseSchedule.of(ScheduleKind.SIGMOID, T, 1e-4, 0.2),
                ObjectiveKind.DDPM_SIMPLE, Prediction.EPSILON);
        float[] xT = new float[2 * 8];
        new Rng(1).fillGaussian(xT, 0, xT.length);
        Chain chain = DdimSampler.sample(view, xT, 5, 0.0, DdimSampler.Spacing.UNIFORM, new Rng(2),
                ChainRecording.ALL, Cancellation.NEVER);
        assertArrayEquals(new int[] {10, 8, 6, 3, 1, 0}, chain.steps());
    }
}
