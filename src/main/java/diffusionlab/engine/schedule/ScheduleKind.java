package diffusionlab.engine.schedule;

import java.util.Locale;

/** The beta schedules: the notebook's {@code make_beta_schedule} plus Nichol & Dhariwal's cosine. */
public enum ScheduleKind {
    /** beta_t = linspace(start, end, T). */
    LINEAR {
        @Override
        double[] betas(int timesteps, double start, double end) {
            double[] betas = new double[timesteps];
            for (int t = 0; t < timesteps; t++) {
                betas[t] = start + (end - start) * fraction(t, timesteps);
            }
            return betas;
        }
    },
    /** beta_t = linspace(sqrt(start), sqrt(end), T)^2. */
    QUAD {
        @Override
        double[] betas(int timesteps, double start, double end) {
            double[] betas = new double[timesteps];
            double a = Math.sqrt(start);
            double b = Math.sqrt(end);
            for (int t = 0; t < timesteps; t++) {
                double r = a + (b - a) * fraction(t, timesteps);
                betas[t] = r * r;
            }
            return betas;
        }
    },
    /** beta_t = sigmoid(linspace(-6, 6, T)) * (end - start) + start. */
    SIGMOID {
        @Override
        double[] betas(int timesteps, double start, double end) {
            double[] betas = new double[timesteps];
            for (int t = 0; t < timesteps; t++) {
                double s = -6 + 12 * fraction(t, timesteps);
                betas[t] = 1 / (1 + Math.exp(-s)) * (end - start) + start;
            }
            return betas;
        }
    },
    /**
     * Nichol & Dhariwal (2021), eq. 17: alphaBar(t) = f(t) / f(0), f(t) = cos^2(((t/T + s) / (1 + s)) pi/2),
     * s = 0.008; beta_t = 1 - alphaBar(t) / alphaBar(t - 1), capped at 0.999. Start and end are unused.
     */
    COSINE {
        @Override
        double[] betas(int timesteps, double start, double end) {
            double[] betas = new double[timesteps];
            for (int t = 0; t < timesteps; t++) {
                double ratio = cosineF(t + 1, timesteps) / cosineF(t, timesteps);
                betas[t] = Math.min(1 - ratio, MAX_COSINE_BETA);
            }
            return betas;
        }
    };

    public static final double MAX_COSINE_BETA = 0.999;
    private static final double COSINE_OFFSET = 0.008;

    abstract double[] betas(int timesteps, double start, double end);

    /** Whether betaStart and betaEnd mean anything for this schedule. */
    public boolean usesStartAndEnd() {
        return this != COSINE;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ScheduleKind fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** torch.linspace(0, 1, T)[t]. */
    private static double fraction(int t, int timesteps) {
        return timesteps == 1 ? 0 : (double) t / (timesteps - 1);
    }

    private static double cosineF(int t, int timesteps) {
        double c = Math.cos(((double) t / timesteps + COSINE_OFFSET) / (1 + COSINE_OFFSET) * Math.PI / 2);
        return c * c;
    }
}
