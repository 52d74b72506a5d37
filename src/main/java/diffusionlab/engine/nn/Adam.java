package diffusionlab.engine.nn;

/** Adam (Kingma & Ba 2015) over one flat parameter vector, with torch.optim.Adam's defaults and bias correction. */
public final class Adam {
    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPS = 1e-8f;

    private final float lr;
    private final float[] m;
    private final float[] v;
    private long step;

    public Adam(int size, double lr) {
        this.lr = (float) lr;
        this.m = new float[size];
        this.v = new float[size];
    }

    /** One update of p in place from the gradient g, at the configured step size η. */
    public void update(float[] p, float[] g) {
        update(p, g, 1.0);
    }

    /** One update of p in place from the gradient g, at the step size η·{@code lrFactor} (a {@link LrSchedule}'s). */
    public void update(float[] p, float[] g, double lrFactor) {
        step++;
        double bc1 = 1 - Math.pow(BETA1, step);
        double bc2 = 1 - Math.pow(BETA2, step);
        Kernels.adam(p, g, m, v, p.length, BETA1, BETA2, (float) (lr * lrFactor / bc1), (float) (1 / Math.sqrt(bc2)),
                EPS);
    }

    public long steps() {
        return step;
    }

    /** The first moment, for checkpoints. */
    public float[] firstMoment() {
        return m;
    }

    /** The second moment, for checkpoints. */
    public float[] secondMoment() {
        return v;
    }

    /** Restores the state saved by a checkpoint. */
    public void restore(float[] firstMoment, float[] secondMoment, long steps) {
        System.arraycopy(firstMoment, 0, m, 0, m.length);
        System.arraycopy(secondMoment, 0, v, 0, v.length);
        this.step = steps;
    }
}
