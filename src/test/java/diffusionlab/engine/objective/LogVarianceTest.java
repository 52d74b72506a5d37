package diffusionlab.engine.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.schedule.NoiseSchedule;
import diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

/** The bound models' log-variance output is read through its clamp: far outside it, the loss is the clamp's. */
class LogVarianceTest {
    private static final int T = 10;
    private static final int ROWS = 4;

    @Test
    void aLogVarianceFarOutsideTheRangeGivesTheLossAtTheClampAndNoGradient() {
        NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.SIGMOID, T, 1e-4, 0.1);
        for (ObjectiveKind kind : new ObjectiveKind[] {ObjectiveKind.DDPM_VLB, ObjectiveKind.VLB_SOHL}) {
            Objective objective = kind.create(schedule, Prediction.EPSILON, 0.1);
            Batch batch = batchWithTheDecoderStep(objective);
            for (double[] rawAndClamp : new double[][] {{-1e4, LogVariance.MIN}, {1e4, LogVariance.MAX}}) {
                double[] dOut = new double[4 * ROWS];
                double loss = objective.lossAndGradient(batch, output(batch, rawAndClamp[0]), dOut);
                double atClamp = objective.lossAndGradient(batch, output(batch, rawAndClamp[1]), new double[4 * ROWS]);
                assertTrue(Double.isFinite(loss), kind.id() + " at " + rawAndClamp[0] + ": " + loss);
                assertEquals(atClamp, loss, 0.0, kind.id());
                for (int b = 0; b < ROWS; b++) {
                    assertTrue(Double.isFinite(dOut[4 * b]) && Double.isFinite(dOut[4 * b + 1]), kind.id());
                    assertEquals(0.0, dOut[4 * b + 2], 0.0, kind.id() + ": no gradient through the clamp");
                    assertEquals(0.0, dOut[4 * b + 3], 0.0, kind.id() + ": no gradient through the clamp");
                }
            }
        }
    }

    @Test
    void insideTheRangeTheClampIsTheIdentity() {
        assertEquals(-3.5, LogVariance.clamp(-3.5));
        assertEquals(1.0, LogVariance.clampDerivative(-3.5));
        assertEquals(LogVariance.MIN, LogVariance.clamp(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, LogVariance.clampDerivative(LogVariance.MAX + 1e-9));
    }

    /** A batch whose steps include t = 0 (the decoder term of the DDPM bound). */
    private static Batch batchWithTheDecoderStep(Objective objective) {
        return TestBatches.first(objective, ROWS, batch -> TestBatches.hasStep(batch, 0));
    }

    /** The model output: the noisy input as the mean, the given log-variance for both coordinates. */
    private static double[] output(Batch batch, double logVariance) {
        double[] out = new double[4 * ROWS];
        for (int b = 0; b < ROWS; b++) {
            out[4 * b] = batch.input[2 * b];
            out[4 * b + 1] = batch.input[2 * b + 1];
            out[4 * b + 2] = logVariance;
            out[4 * b + 3] = logVariance;
        }
        return out;
    }
}
