package diffusionlab.engine.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PredictionTest {

    @Test
    void everyTargetConvertsBackToTheNoiseThatMadeIt() {
        double x0 = 0.7;
        double eps = -1.3;
        for (double abar : new double[] {0.999, 0.6, 0.05}) {
            double a = Math.sqrt(abar);
            double s = Math.sqrt(1 - abar);
            double xt = a * x0 + s * eps;
            for (Prediction p : Prediction.values()) {
                double y = p.target(x0, eps, a, s);
                assertEquals(eps, p.epsilon(y, xt, a, s), 1e-12, p + " at alphaBar " + abar);
            }
        }
    }
}
