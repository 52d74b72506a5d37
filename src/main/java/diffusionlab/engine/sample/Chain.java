package diffusionlab.engine.sample;

/**
 * A whole sampling chain, not only its end: {@code states[k]} is the point cloud ([n, 2]) after k
 * sampler steps, and {@code steps[k]} the diffusion step it stands at (T for pure noise, 0 for data;
 * for Langevin, the iteration).
 */
public record Chain(float[][] states, int[] steps) {
    /** The final samples. */
    public float[] last() {
        return states[states.length - 1];
    }

    public int points() {
        return states[0].length / 2;
    }

    /**
     * The paths of the first {@code count} points through the chain, each [len, 2] flat with at most
     * {@code maxStates} states: every stride-th state from the first, and always the last (the sample itself).
     */
    public float[][] trajectories(int count, int maxStates) {
        if (maxStates < 2) {
            throw new IllegalArgumentException("a path needs at least 2 states, got " + maxStates);
        }
        int k = states.length;
        int stride = Math.max(1, Math.floorDiv(k - 1 + maxStates - 2, maxStates - 1)); // ceil((k-1) / (max-1))
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
}
