package diffusionlab.engine.objective;

import java.util.Locale;

/**
 * What a 2-output DDPM model predicts (Ho et al. 2020: epsilon; x0; Salimans & Ho 2022: v).
 * With a = sqrt(alphaBar_t), s = sqrt(1 - alphaBar_t) and x_t = a x_0 + s eps:
 * v = a eps - s x_0, so eps = a v + s x_t and x_0 = a x_t - s v.
 */
public enum Prediction {
    EPSILON, X0, V;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Prediction fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** The regression target for one coordinate. */
    public double target(double x0, double eps, double a, double s) {
        return switch (this) {
            case EPSILON -> eps;
            case X0 -> x0;
            case V -> a * eps - s * x0;
        };
    }

    /** The noise estimate implied by a prediction {@code y} at x_t. */
    public double epsilon(double y, double xt, double a, double s) {
        return switch (this) {
            case EPSILON -> y;
            case X0 -> (xt - a * y) / s;
            case V -> a * y + s * xt;
        };
    }
}
