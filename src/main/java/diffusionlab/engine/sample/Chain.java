package diffusionlab.engine.sample;

/**
 * A sampling chain, not only its end: the states its {@link ChainRecording} kept, in order, each a point cloud
 * ([n, 2]), and {@code steps[k]} the diffusion step state k stands at (T for pure noise, 0 for data; for a flow
 * model's ODE, round(t K); for Langevin, the iteration). With {@link ChainRecording#ALL}, {@code states[k]} is the
 * cloud after k sampler steps.
 */
public record Chain(float[][] states, int[] steps) {
    /** The final samples. */
    public float[] last() {
        return states[states.length - 1];
    }

    /** The kept state labelled {@code step}. */
    public float[] atStep(int step) {
        for (int k = 0; k < steps.length; k++) {
            if (steps[k] == step) {
                return states[k];
            }
        }
        throw new IllegalArgumentException("the chain kept no state at step " + step);
    }

    public int points() {
        return states[0].length / 2;
    }

    /**
     * The paths of the first {@code count} points through the chain, each [len, 2] flat with at most
     * {@code maxStates} states: every stride-th state from the first, and always the last (the sample itself).
     */
    public float[][] trajectories(int count, int maxStates) {
        int k = states.length;
        int stride = stride(k, maxStates);
        int len = Math.floorDiv(k - 1 + stride - 1, stride) + 1;                          // ceil((k-1) / stride) + 1
        int n = Math.min(count, points());
        float[][] paths = new float[n][2 * len];
        for (int p = 0; p < n; p++) {
            for (int j = 0; j < len; j++) {
                float[] s = states[Math.min(k - 1, j * stride)];
                paths[p][2 * j] = s[2 * p];
                paths[p][2 * j + 1] = s[2 * p + 1];
            }
        }
        return paths;
    }

    /** The stride that thins {@code length} states to at most {@code maxStates} with the last: ceil((length - 1) / (max - 1)). */
    static int stride(int length, int maxStates) {
        if (maxStates < 2) {
            throw new IllegalArgumentException("a path needs at least 2 states, got " + maxStates);
        }
        return Math.max(1, Math.floorDiv(length - 1 + maxStates - 2, maxStates - 1));
    }
}
