package diffusionlab.engine.sample;

/**
 * The learned score grad log p_t(x) on a regular grid (the notebook's plot_gradients):
 * {@code xs} then {@code ys} of the grid points, and the field at each.
 */
public record ScoreField(int size, double min, double max, int t, float[] points, float[] scores) {

    /** An n x n grid over [min, max]^2 (row-major, y outer), the field at diffusion step t. */
    public static ScoreField compute(ModelView model, int n, double min, double max, int t) {
        float[] grid = new float[2 * n * n];
        for (int iy = 0; iy < n; iy++) {
            for (int ix = 0; ix < n; ix++) {
                int k = iy * n + ix;
                grid[2 * k] = (float) (min + (max - min) * ix / (n - 1));
                grid[2 * k + 1] = (float) (min + (max - min) * iy / (n - 1));
            }
        }
        float[] scores = new float[2 * n * n];
        model.score(grid, t, n * n, scores);
        return new ScoreField(n, min, max, t, grid, scores);
    }
}
