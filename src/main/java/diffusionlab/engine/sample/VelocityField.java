package diffusionlab.engine.sample;

/** Anything that gives a flow's velocity v(x, t) for a batch of points: a trained flow model, or a closed form in tests. */
@FunctionalInterface
public interface VelocityField {
    /** v[i] = v(x, t)[i] for the n points of x ([n, 2] each), at time t ∈ [0, 1] (0 the data, 1 the noise). */
    void velocity(float[] x, double t, int n, float[] v);
}
