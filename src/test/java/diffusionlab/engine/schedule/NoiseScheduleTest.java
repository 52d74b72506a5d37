package diffusionlab.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.InvalidConfigException;
import org.junit.jupiter.api.Test;

class NoiseScheduleTest {

    @Test
    void notebookSigmoidScheduleEndsAtAlphaBar0605() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.SIGMOID, 100, 1e-5, 1e-2);
        assertEquals(0.605, s.alphaBarT(), 1e-3);
        assertFalse(s.reachesNoise());
    }

    @Test
    void linearQuadAndSigmoidMatchTheNotebookFormulas() {
        NoiseSchedule lin = NoiseSchedule.of(ScheduleKind.LINEAR, 5, 0.1, 0.5);
        assertEquals(0.1, lin.betas[0], 1e-12);
        assertEquals(0.3, lin.betas[2], 1e-12);
        assertEquals(0.5, lin.betas[4], 1e-12);
        NoiseSchedule quad = NoiseSchedule.of(ScheduleKind.QUAD, 3, 0.01, 0.09);
        assertEquals(0.04, quad.betas[1], 1e-12); // ((0.1 + 0.3) / 2)^2
        NoiseSchedule sig = NoiseSchedule.of(ScheduleKind.SIGMOID, 3, 0.0, 1.0);
        assertEquals(1 / (1 + Math.exp(6)), sig.betas[0], 1e-12);
        assertEquals(0.5, sig.betas[1], 1e-12);
    }

    @Test
    void cosineScheduleIsCappedAndReachesNoise() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.COSINE, 100, 0, 0);
        for (double b : s.betas) {
            assertTrue(b > 0 && b <= ScheduleKind.MAX_COSINE_BETA);
        }
        assertTrue(s.reachesNoise());
        assertEquals(ScheduleKind.MAX_COSINE_BETA, s.betas[99], 1e-12);
    }

    @Test
    void derivedArraysFollowTheirDefinitions() {
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 50, 1e-4, 0.05);
        double product = 1;
        for (int t = 0; t < 50; t++) {
            assertEquals(product, s.alphasBarPrev[t], 1e-12);
            product *= 1 - s.betas[t];
            assertEquals(product, s.alphasBar[t], 1e-12);
            assertEquals(Math.sqrt(product), s.sqrtAlphasBar[t], 1e-12);
            assertEquals(Math.sqrt(1 - product), s.sqrtOneMinusAlphasBar[t], 1e-12);
        }
        assertEquals(Math.log(s.posteriorVariance[1]), s.posteriorLogVarianceClipped[0], 1e-12);
        assertEquals(0.0, s.posteriorVariance[0], 1e-15);
    }

    @Test
    void posteriorMatchesBayesRuleForGaussians() {
        // q(x_{t-1} | x_t, x_0) is proportional to q(x_t | x_{t-1}) q(x_{t-1} | x_0): multiply the two Gaussians.
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.SIGMOID, 100, 1e-4, 0.1);
        double x0 = 0.7;
        double xt = -0.4;
        for (int t = 1; t < 100; t += 7) {
            double priorVar = 1 - s.alphasBarPrev[t];
            double priorMean = Math.sqrt(s.alphasBarPrev[t]) * x0;
            double precision = 1 / priorVar + s.alphas[t] / s.betas[t];
            double var = 1 / precision;
            double mean = var * (priorMean / priorVar + Math.sqrt(s.alphas[t]) * xt / s.betas[t]);
            assertEquals(var, s.posteriorVariance[t], 1e-12 + 1e-9 * var);
            double coefMean = s.posteriorMeanCoef1[t] * x0 + s.posteriorMeanCoef2[t] * xt;
            assertEquals(mean, coefMean, 1e-9);
        }
    }

    @Test
    void oneMinusAlphaBarIsAccurateWhenBetaIsTiny() {
        // 1 - (1 - beta) in double loses about half of beta's digits at beta = 1e-7; -expm1(log1p(-beta)) keeps them
        NoiseSchedule s = NoiseSchedule.of(ScheduleKind.LINEAR, 3, 1e-7, 2e-7);
        double exact = s.betas[0];
        assertEquals(exact, s.oneMinusAlphasBar[0], 1e-15 * exact);
        assertEquals(Math.sqrt(exact), s.sqrtOneMinusAlphasBar[0], 1e-15 * Math.sqrt(exact));
        double exact2 = s.betas[0] + s.betas[1] - s.betas[0] * s.betas[1]; // 1 - (1 - beta_1)(1 - beta_2)
        assertEquals(exact2, s.oneMinusAlphasBar[1], 1e-15 * exact2);
        assertEquals(s.betas[1] * exact / exact2, s.posteriorVariance[1], 1e-15 * s.posteriorVariance[1]);
    }

    @Test
    void aFirstStepLostInFloat32IsRefusedNamingBetaStart() {
        // beta_1 <= 2^-25: 1 - beta_1 rounds to 1 in float32, so 1 - alphaBar_1 rounds to 0
        for (double betaStart : new double[] {1e-8, 0x1p-25}) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class,
                    () -> NoiseSchedule.validate(ScheduleKind.LINEAR, 100, betaStart, 0.02));
            assertEquals("betaStart", e.field());
            assertTrue(e.getMessage().contains("float32"), e.getMessage());
            assertThrows(InvalidConfigException.class, () -> NoiseSchedule.of(ScheduleKind.QUAD, 100, betaStart, 0.02));
        }
        NoiseSchedule.validate(ScheduleKind.LINEAR, 100, 3e-8, 0.02);
        // the sigmoid's beta_1 is start + sigmoid(-6) (end - start), far above a tiny start
        NoiseSchedule.validate(ScheduleKind.SIGMOID, 100, 1e-12, 0.02);
    }

    @Test
    void appDefaultScheduleEndsAtAlphaBar0005367AndReachesNoise() {
        ExperimentConfig d = ExperimentConfig.defaults();
        NoiseSchedule s = NoiseSchedule.of(d.schedule(), d.timesteps(), d.betaStart(), d.betaEnd());
        assertEquals(0.0053667, s.alphaBarT(), 1e-7); // the figure docs/MATH.md gives
        assertTrue(s.reachesNoise(), "alphaBar_T = " + s.alphaBarT());
    }
}
