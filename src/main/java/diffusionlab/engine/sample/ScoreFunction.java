package diffusionlab.engine.sample;

/** Anything that gives grad_x log p_t(x) for a batch of points: a trained model, or a closed form in tests. */
@FunctionalInterface
public interface ScoreFunction {
    /** score[i] = grad log p_t(x)[i] for the n points of x ([n, 2] each). */
    void score(float[] x, int t, int n, float[] score);
}
