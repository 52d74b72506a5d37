package diffusionlab.engine.objective;

/** Closed forms for diagonal Gaussians, per coordinate, with log-variances (the notebook's normal_kl, entropy). */
public final class GaussianMath {
    public static final double LOG_2PI = Math.log(2 * Math.PI);
    public static final double LN2 = Math.log(2);

    private GaussianMath() {
    }

    /** KL(N(m1, e^lv1) || N(m2, e^lv2)) = 1/2 (-1 + lv2 - lv1 + e^(lv1 - lv2) + (m1 - m2)^2 e^-lv2). */
    public static double normalKl(double m1, double lv1, double m2, double lv2) {
        double d = m1 - m2;
        return 0.5 * (-1 + lv2 - lv1 + Math.exp(lv1 - lv2) + d * d * Math.exp(-lv2));
    }

    /** d KL / d m2. */
    public static double normalKlDMean2(double m1, double m2, double lv2) {
        return (m2 - m1) * Math.exp(-lv2);
    }

    /** d KL / d lv2. */
    public static double normalKlDLogVar2(double m1, double lv1, double m2, double lv2) {
        double d = m1 - m2;
        return 0.5 * (1 - Math.exp(lv1 - lv2) - d * d * Math.exp(-lv2));
    }

    /** Differential entropy of N(., var) in one dimension: 1/2 (1 + log 2 pi) + 1/2 log var. */
    public static double entropy(double variance) {
        return 0.5 * (1 + LOG_2PI) + 0.5 * Math.log(variance);
    }

    /** -log N(x; m, e^lv) = 1/2 (log 2 pi + lv + (x - m)^2 e^-lv). */
    public static double gaussianNll(double x, double m, double lv) {
        double d = x - m;
        return 0.5 * (LOG_2PI + lv + d * d * Math.exp(-lv));
    }
}
