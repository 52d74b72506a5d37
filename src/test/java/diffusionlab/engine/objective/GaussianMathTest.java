package diffusionlab.engine.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GaussianMathTest {

    @Test
    void klOfEqualGaussiansIsZero() {
        assertEquals(0.0, GaussianMath.normalKl(0.3, -1.2, 0.3, -1.2), 1e-15);
    }

    @Test
    void klMatchesNumericIntegration() {
        double m1 = 0.2, lv1 = Math.log(0.5), m2 = -0.4, lv2 = Math.log(1.7);
        double s1 = Math.exp(0.5 * lv1), s2 = Math.exp(0.5 * lv2);
        double integral = 0;
        double dx = 1e-4;
        for (double x = m1 - 12 * s1; x <= m1 + 12 * s1; x += dx) {
            double p = density(x, m1, s1);
            double q = density(x, m2, s2);
            integral += p * Math.log(p / q) * dx;
        }
        assertEquals(integral, GaussianMath.normalKl(m1, lv1, m2, lv2), 1e-6);
    }

    @Test
    void entropyAndNllMatchTheirIntegrals() {
        double var = 0.3;
        double s = Math.sqrt(var);
        double integral = 0;
        double dx = 1e-4;
        for (double x = -12 * s; x <= 12 * s; x += dx) {
            double p = density(x, 0, s);
            integral -= p * Math.log(p) * dx;
        }
        assertEquals(integral, GaussianMath.entropy(var), 1e-6);
        assertEquals(-Math.log(density(0.9, 0.1, s)), GaussianMath.gaussianNll(0.9, 0.1, Math.log(var)), 1e-12);
    }

    private static double density(double x, double m, double s) {
        return Math.exp(-0.5 * (x - m) * (x - m) / (s * s)) / (s * Math.sqrt(2 * Math.PI));
    }
}
