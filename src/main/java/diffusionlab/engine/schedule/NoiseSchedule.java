package diffusionlab.engine.schedule;

import diffusionlab.engine.InvalidConfigException;

/**
 * A variance schedule beta_1..beta_T and every array derived from it (Ho et al. 2020, sec. 2;
 * the notebook's "Forward process" cells). Index t = 0..T-1 stands for the paper's step t + 1.
 * Kept in double precision (the samplers and losses compute in double; the points and the model are float32).
 */
public final class NoiseSchedule {
    public final ScheduleKind kind;
    public final int timesteps;
    /** beta_t. */
    public final double[] betas;
    /** alpha_t = 1 - beta_t. */
    public final double[] alphas;
    /** alphaBar_t = prod_{s <= t} alpha_s = exp(sum_{s <= t} log1p(-beta_s)) (the notebook's alphas_prod). */
    public final double[] alphasBar;
    /** 1 - alphaBar_t = -expm1(sum_{s <= t} log1p(-beta_s)), accurate when beta is tiny (1 - alphaBar_t is not). */
    public final double[] oneMinusAlphasBar;
    /** alphaBar_{t-1}, with alphaBar_0 = 1 (the notebook's alphas_prod_p). */
    public final double[] alphasBarPrev;
    /** sqrt(alphaBar_t): the x_0 coefficient of q(x_t | x_0). */
    public final double[] sqrtAlphasBar;
    /** sqrt(1 - alphaBar_t): the noise coefficient of q(x_t | x_0). */
    public final double[] sqrtOneMinusAlphasBar;
    /** log(1 - alphaBar_t). */
    public final double[] logOneMinusAlphasBar;
    /** beta~_t = beta_t (1 - alphaBar_{t-1}) / (1 - alphaBar_t): variance of q(x_{t-1} | x_t, x_0). */
    public final double[] posteriorVariance;
    /** log beta~_t with beta~_0 (= 0) replaced by beta~_1, as the notebook and DDPM's code do. */
    public final double[] posteriorLogVarianceClipped;
    /** beta_t sqrt(alphaBar_{t-1}) / (1 - alphaBar_t): the x_0 coefficient of the posterior mean (DDPM eq. 7). */
    public final double[] posteriorMeanCoef1;
    /** (1 - alphaBar_{t-1}) sqrt(alpha_t) / (1 - alphaBar_t): the x_t coefficient of the posterior mean. */
    public final double[] posteriorMeanCoef2;

    private NoiseSchedule(ScheduleKind kind, double[] betas) {
        requireFirstStepNoise(betas[0]);
        this.kind = kind;
        this.timesteps = betas.length;
        int n = betas.length;
        this.betas = betas;
        alphas = new double[n];
        alphasBar = new double[n];
        oneMinusAlphasBar = new double[n];
        alphasBarPrev = new double[n];
        sqrtAlphasBar = new double[n];
        sqrtOneMinusAlphasBar = new double[n];
        logOneMinusAlphasBar = new double[n];
        posteriorVariance = new double[n];
        posteriorLogVarianceClipped = new double[n];
        posteriorMeanCoef1 = new double[n];
        posteriorMeanCoef2 = new double[n];
        double logAlphaBar = 0;
        for (int t = 0; t < n; t++) {
            double oneMinusAlphaBarPrev = t == 0 ? 0 : oneMinusAlphasBar[t - 1];
            alphas[t] = 1 - betas[t];
            alphasBarPrev[t] = t == 0 ? 1 : alphasBar[t - 1];
            logAlphaBar += Math.log1p(-betas[t]);
            alphasBar[t] = Math.exp(logAlphaBar);
            oneMinusAlphasBar[t] = -Math.expm1(logAlphaBar);
            sqrtAlphasBar[t] = Math.sqrt(alphasBar[t]);
            sqrtOneMinusAlphasBar[t] = Math.sqrt(oneMinusAlphasBar[t]);
            logOneMinusAlphasBar[t] = Math.log(oneMinusAlphasBar[t]);
            posteriorVariance[t] = betas[t] * oneMinusAlphaBarPrev / oneMinusAlphasBar[t];
            posteriorMeanCoef1[t] = betas[t] * Math.sqrt(alphasBarPrev[t]) / oneMinusAlphasBar[t];
            posteriorMeanCoef2[t] = oneMinusAlphaBarPrev * Math.sqrt(alphas[t]) / oneMinusAlphasBar[t];
        }
        for (int t = 0; t < n; t++) {
            int source = (t == 0 && n > 1) ? 1 : t;
            posteriorLogVarianceClipped[t] = Math.log(Math.max(posteriorVariance[source], 1e-20));
        }
    }

    /** The schedule of the given kind; start and end are ignored by {@link ScheduleKind#COSINE}. */
    public static NoiseSchedule of(ScheduleKind kind, int timesteps, double betaStart, double betaEnd) {
        return new NoiseSchedule(kind, kind.betas(timesteps, betaStart, betaEnd));
    }

    /**
     * Throws {@link InvalidConfigException} (field betaStart) for a schedule whose first step is lost in
     * float32, the precision of the model and of the points: see {@link #requireFirstStepNoise}.
     * The caller has checked the ranges of timesteps, betaStart and betaEnd.
     */
    public static void validate(ScheduleKind kind, int timesteps, double betaStart, double betaEnd) {
        requireFirstStepNoise(kind.betas(timesteps, betaStart, betaEnd)[0]);
    }

    /**
     * 1 - alphaBar_1 = beta_1 must survive float32: at 2^-25 (half the float spacing under 1) or below, alphaBar_1
     * rounds to 1 and 1 - alphaBar_1 to 0. Every accepted schedule then has beta~_t >= beta_1 / 2 > 2^-26.
     */
    private static void requireFirstStepNoise(double beta1) {
        if ((float) (1 - beta1) == 1f) {
            throw new InvalidConfigException("betaStart", "betaStart is too small: the first step's noise variance "
                    + "1 - alphaBar_1 = " + beta1 + " rounds to 0 in float32; beta_1 must be at least 3e-8");
        }
    }

    /** alphaBar_T: how much of x_0 is left at the last step; near 0 means q(x_T) is close to N(0, I). */
    public double alphaBarT() {
        return alphasBar[timesteps - 1];
    }

    /** Whether x_T is close enough to N(0, I) for a reverse chain that starts from noise (signal std < 0.1). */
    public boolean reachesNoise() {
        return Math.sqrt(alphaBarT()) < 0.1;
    }
}
