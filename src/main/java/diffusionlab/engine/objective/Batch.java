package diffusionlab.engine.objective;

/**
 * One training batch as an objective prepares it, in double precision so that the float64 reference
 * and the float kernel see the same numbers. Preallocated for {@code capacity} rows and reused.
 */
public final class Batch {
    public final int capacity;
    /** Clean data x_0, [rows, 2]. */
    public final double[] x0;
    /** The model's input (x_t, a perturbed x, or x itself), [rows, 2]. */
    public final double[] input;
    /** The Gaussian noise epsilon drawn for this batch, [rows, 2]. */
    public final double[] noise;
    /**
     * Whether {@link #noise} arrives with the batch, paired with x_0 ({@link Coupling}, reflow), rather than being
     * drawn by the objective.
     */
    public boolean pairedNoise;
    /** The tangent direction v of sliced score matching, [rows, 2]. */
    public final double[] tangent;
    /** The time step of each row, 0..T-1 (0 for unconditional models). */
    public final int[] t;
    public int rows;

    public Batch(int capacity) {
        this.capacity = capacity;
        x0 = new double[2 * capacity];
        input = new double[2 * capacity];
        noise = new double[2 * capacity];
        tangent = new double[2 * capacity];
        t = new int[capacity];
    }
}
