package diffusionlab.engine.nn;

/** torch.nn.utils.clip_grad_norm_: if ||g||_2 > maxNorm, g *= maxNorm / (||g||_2 + 1e-6). */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** Clips g in place and returns its norm before clipping. maxNorm <= 0 disables clipping. */
    public static double clip(float[] g, double maxNorm) {
        double norm = Math.sqrt(Kernels.sumOfSquares(g, g.length));
        if (maxNorm > 0) {
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1) {
                Kernels.scale(g, g.length, (float) coef);
            }
        }
        return norm;
    }
}
