package diffusionlab.engine.metric;

import diffusionlab.engine.Rng;
import java.util.Arrays;

/**
 * Sliced Wasserstein-2 distance between two 2D point clouds (Rabin et al. 2011):
 * SW = sqrt(mean over random unit directions w of W2^2(w . a, w . b)), each 1D W2 from sorted projections.
 * Cheap enough to run during training (2,000 points, 64 directions: a few milliseconds). The clouds
 * are truncated to the smaller size.
 */
public final class SlicedWasserstein {
    public static final int DEFAULT_PROJECTIONS = 64;

    private SlicedWasserstein() {
    }

    public static double distance(float[] a, float[] b, int projections, Rng rng) {
        int n = Math.min(a.length, b.length) / 2;
        double[] pa = new double[n];
        double[] pb = new double[n];
        double total = 0;
        for (int p = 0; p < projections; p++) {
            double angle = Math.PI * rng.uniform(); // directions on the half circle cover all slices
            double wx = Math.cos(angle);
            double wy = Math.sin(angle);
            for (int i = 0; i < n; i++) {
                pa[i] = wx * a[2 * i] + wy * a[2 * i + 1];
                pb[i] = wx * b[2 * i] + wy * b[2 * i + 1];
            }
            Arrays.sort(pa);
            Arrays.sort(pb);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double d = pa[i] - pb[i];
                sum += d * d;
            }
            total += sum / n;
        }
        return Math.sqrt(total / projections);
    }
}
