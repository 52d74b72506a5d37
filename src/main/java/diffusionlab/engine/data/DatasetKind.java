package diffusionlab.engine.data;

import diffusionlab.engine.Rng;
import java.util.Locale;

/**
 * The built-in 2D datasets. Each draws points i.i.d. from its distribution into a flat
 * {@code [n, 2]} array, so the same seed always gives the same points. All are scaled to lie
 * roughly within [-2, 2]^2, like the notebook's swiss roll.
 */
public enum DatasetKind {
    /**
     * The notebook's: sklearn's make_swiss_roll (t = 1.5 pi (1 + 2u), x = t cos t, y = 21u,
     * z = t sin t, plus N(0, noise^2) on every coordinate), columns x and z, divided by 10.
     */
    SWISS_ROLL(0.5) {
        @Override
        void draw(int n, double noise, Rng rng, float[] out) {
            for (int i = 0; i < n; i++) {
                double t = 1.5 * Math.PI * (1 + 2 * rng.uniform());
                rng.uniform(); // sklearn's y = 21 u, dropped with column 1
                double x = t * Math.cos(t) + noise * rng.gaussian();
                rng.gaussian(); // the noise on y
                double z = t * Math.sin(t) + noise * rng.gaussian();
                out[2 * i] = (float) (x / 10.0);
                out[2 * i + 1] = (float) (z / 10.0);
            }
        }
    },
    /** sklearn's make_moons (two interleaved half circles), centred on the origin. */
    MOONS(0.05) {
        @Override
        void draw(int n, double noise, Rng rng, float[] out) {
            for (int i = 0; i < n; i++) {
                double a = Math.PI * rng.uniform();
                boolean outer = rng.uniform() < 0.5;
                double x = outer ? Math.cos(a) : 1 - Math.cos(a);
                double y = outer ? Math.sin(a) : 0.5 - Math.sin(a);
                out[2 * i] = (float) (x - 0.5 + noise * rng.gaussian());
                out[2 * i + 1] = (float) (y - 0.25 + noise * rng.gaussian());
            }
        }
    },
    /** sklearn's make_circles: two concentric circles of radius 1 and 0.5. */
    CIRCLES(0.03) {
        @Override
        void draw(int n, double noise, Rng rng, float[] out) {
            for (int i = 0; i < n; i++) {
                double a = 2 * Math.PI * rng.uniform();
                double r = rng.uniform() < 0.5 ? 1.0 : 0.5;
                out[2 * i] = (float) (r * Math.cos(a) + noise * rng.gaussian());
                out[2 * i + 1] = (float) (r * Math.sin(a) + noise * rng.gaussian());
            }
        }
    },
    /** Eight Gaussians of std {@code noise} at the vertices of a regular octagon of radius 1.5. */
    GAUSSIANS8(0.1) {
        @Override
        void draw(int n, double noise, Rng rng, float[] out) {
            for (int i = 0; i < n; i++) {
                double a = 2 * Math.PI * rng.nextInt(8) / 8.0;
                out[2 * i] = (float) (1.5 * Math.cos(a) + noise * rng.gaussian());
                out[2 * i + 1] = (float) (1.5 * Math.sin(a) + noise * rng.gaussian());
            }
        }
    },
    /** A 4x4 checkerboard on [-2, 2]^2 with uniform density on the dark squares (as in FFJORD), plus noise. */
    CHECKERBOARD(0.0) {
        @Override
        void draw(int n, double noise, Rng rng, float[] out) {
            for (int i = 0; i < n; i++) {
                double x = rng.uniform(-2, 2);
                double y = rng.uniform() - 2 * rng.nextInt(2) + Math.floorMod((int) Math.floor(x), 2);
                out[2 * i] = (float) (x + noise * rng.gaussian());
                out[2 * i + 1] = (float) (y + noise * rng.gaussian());
            }
        }
    },
    /** One Archimedean spiral arm, r = theta / (3 pi) * 1.8, theta in [0.5 pi, 3 pi], denser near the centre. */
    SPIRAL(0.04) {
        @Override
        void draw(int n, double noise, Rng rng, float[] out) {
            for (int i = 0; i < n; i++) {
                double theta = Math.PI * (0.5 + 2.5 * Math.sqrt(rng.uniform()));
                double r = theta / (3 * Math.PI) * 1.8;
                out[2 * i] = (float) (r * Math.cos(theta) + noise * rng.gaussian());
                out[2 * i + 1] = (float) (r * Math.sin(theta) + noise * rng.gaussian());
            }
        }
    },
    /** The user's own points, drawn with replacement, plus N(0, noise^2) jitter (default none). */
    POINTS(0.0) {
        @Override
        void draw(int n, double noise, Rng rng, float[] out) {
            throw new UnsupportedOperationException("points are drawn by Dataset.ofPoints");
        }
    };

    private final double defaultNoise;

    DatasetKind(double defaultNoise) {
        this.defaultNoise = defaultNoise;
    }

    abstract void draw(int n, double noise, Rng rng, float[] out);

    /** The noise (the std of the Gaussian added to each coordinate) used when a config leaves it unset. */
    public double defaultNoise() {
        return defaultNoise;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DatasetKind fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
