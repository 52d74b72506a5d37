package diffusionlab.engine.objective;

import diffusionlab.engine.Rng;

/**
 * Denoising score matching at one noise level (Vincent 2011; the notebook's denoising_score_matching):
 * x~ = x + sigma eps, target = grad log q(x~ | x) = -(x~ - x) / sigma^2 = -eps / sigma,
 * L = 1/2 mean_rows || s_theta(x~) - target ||^2.
 */
public final class DenoisingScoreMatching extends ScoreObjective {
    private final double sigma;

    public DenoisingScoreMatching(double sigma) {
        this.sigma = sigma;
    }

    @Override
    public void prepare(Batch batch, Rng rng) {
        for (int i = 0; i < 2 * batch.rows; i++) {
            double eps = rng.gaussian();
            batch.noise[i] = eps;
            batch.input[i] = batch.x0[i] + sigma * eps;
        }
        java.util.Arrays.fill(batch.t, 0, batch.rows, 0);
    }

    @Override
    public double lossAndGradient(Batch batch, double[] out, double[] dOut) {
        double loss = 0;
        int rows = batch.rows;
        for (int i = 0; i < 2 * rows; i++) {
            double r = out[i] + batch.noise[i] / sigma;
            loss += r * r;
            dOut[i] = r / rows;
        }
        return 0.5 * loss / rows;
    }
}
