package diffusionlab.engine.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import diffusionlab.engine.Rng;
import diffusionlab.engine.schedule.NoiseSchedule;
import diffusionlab.engine.schedule.ScheduleKind;
import org.junit.jupiter.api.Test;

class ForwardProcessTest {
    private final NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.SIGMOID, 100, 1e-4, 0.1);

    @Test
    void qSampleMatchesClosedFormMoments() {
        int n = 200_000;
        float[] x0 = new float[2 * n];
        for (int i = 0; i < n; i++) {
            x0[2 * i] = 1.2f;
            x0[2 * i + 1] = -0.5f;
        }
        for (int t : new int[] {0, 30, 99}) {
            float[] xt = ForwardProcess.qSample(schedule, x0, t, new Rng(t));
            double[] mean = new double[2];
            double[] sq = new double[2];
            for (int i = 0; i < 2 * n; i++) {
                mean[i % 2] += xt[i];
                sq[i % 2] += (double) xt[i] * xt[i];
            }
            for (int d = 0; d < 2; d++) {
                double m = mean[d] / n;
                double v = sq[d] / n - m * m;
                assertEquals(schedule.sqrtAlphasBar[t] * x0[d], m, 0.005, "mean, t=" + t);
                assertEquals(1 - schedule.alphasBar[t], v, 0.01 * (1 - schedule.alphasBar[t]) + 1e-5, "var, t=" + t);
            }
        }
    }

    @Test
    void iteratedForwardKernelMatchesTheClosedForm() {
        // x_t = sqrt(1 - beta_t) x_{t-1} + sqrt(beta_t) z, iterated T times, has the variance of q(x_T | x_0)
        int n = 100_000;
        Rng rng = new Rng(3);
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double x = 0.8;
            for (int t = 0; t < schedule.timesteps; t++) {
                x = Math.sqrt(1 - schedule.betas[t]) * x + Math.sqrt(schedule.betas[t]) * rng.gaussian();
            }
            sum += x;
            sumSq += x * x;
        }
        double m = sum / n;
        assertEquals(Math.sqrt(schedule.alphaBarT()) * 0.8, m, 0.01);
        assertEquals(1 - schedule.alphaBarT(), sumSq / n - m * m, 0.015);
    }

    @Test
    void antitheticTimestepsPairUpMirrors() {
        int[] t = new int[128];
        TimestepSampler.antithetic(t, 128, 100, new Rng(1));
        for (int i = 65; i < 128; i++) {
            assertEquals(99 - t[i - 65], t[i]);
        }
    }

    @Test
    void thePathIsTheDiffusionsForItsModelsAndTheStraightLineForFlowMatching() {
        NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.SIGMOID, 100, 1e-4, 0.1);
        ForwardProcess.Path diffusion = ForwardProcess.Path.of(ObjectiveKind.DDPM_SIMPLE, schedule);
        ForwardProcess.Path flow = ForwardProcess.Path.of(ObjectiveKind.FLOW_MATCHING, schedule);
        assertEquals(101, diffusion.signal().length);
        assertEquals(1f, diffusion.signal()[0]);
        assertEquals(0f, diffusion.noise()[0]);
        for (int t = 1; t <= 100; t++) {
            assertEquals(Math.sqrt(schedule.alphasBar[t - 1]), diffusion.signal()[t], 1e-6);
            assertEquals(1, diffusion.signal()[t] * diffusion.signal()[t] + diffusion.noise()[t] * diffusion.noise()[t],
                    1e-5, "variance preserving at t = " + t);
            assertEquals(1 - t / 100.0, flow.signal()[t], 1e-6);
            assertEquals(t / 100.0, flow.noise()[t], 1e-6);
        }
    }
}
