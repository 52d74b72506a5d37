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
}
