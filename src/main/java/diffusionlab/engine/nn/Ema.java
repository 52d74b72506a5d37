package diffusionlab.engine.nn;

/**
 * Exponential moving average of the weights (the notebook's EMA class, from the DDIM repository):
 * shadow = mu shadow + (1 - mu) p after every step, starting from the initial weights.
 */
public final class Ema {
    private final float mu;
    private final float[] shadow;

    public Ema(float[] initial, double mu) {
        this.mu = (float) mu;
        this.shadow = initial.clone();
    }

    public void update(float[] p) {
        Kernels.ema(shadow, p, shadow.length, mu);
    }

    /** The averaged weights (live: read them between steps). */
    public float[] weights() {
        return shadow;
    }
}
