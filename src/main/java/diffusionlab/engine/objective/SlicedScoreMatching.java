package diffusionlab.engine.objective;

import diffusionlab.engine.Rng;

/**
 * Sliced score matching (Song et al. 2019): L = mean_rows [ v^T J_s(x) v + 1/2 (v^T s(x))^2 ], with
 * v ~ N(0, I) normalised to unit length as the notebook does (that scales the objective by 1/d, its
 * minimiser is unchanged). J v comes from a forward-mode pass. The notebook's code squares each
 * component of v * s and averages over dimensions instead; this is the objective its text states.
 */
public final class SlicedScoreMatching extends ScoreObjective {
    @Override
    public boolean needsTangent() {
        return true;
    }

    @Override
    public void prepare(Batch batch, Rng rng) {
        for (int b = 0; b < batch.rows; b++) {
            double v0 = rng.gaussian();
            double v1 = rng.gaussian();
            double norm = Math.sqrt(v0 * v0 + v1 * v1);
            batch.tangent[2 * b] = v0 / norm;
            batch.tangent[2 * b + 1] = v1 / norm;
            batch.input[2 * b] = batch.x0[2 * b];
            batch.input[2 * b + 1] = batch.x0[2 * b + 1];
            batch.t[b] = 0;
        }
    }

    /** out = [s(x) rows; J v rows], both [rows, 2]. */
    @Override
    public double lossAndGradient(Batch batch, double[] out, double[] dOut) {
        int rows = batch.rows;
        int tan = 2 * rows;
        double loss = 0;
        for (int b = 0; b < rows; b++) {
            double v0 = batch.tangent[2 * b];
            double v1 = batch.tangent[2 * b + 1];
            double vJv = v0 * out[tan + 2 * b] + v1 * out[tan + 2 * b + 1];
            double vs = v0 * out[2 * b] + v1 * out[2 * b + 1];
            loss += vJv + 0.5 * vs * vs;
            dOut[2 * b] = vs * v0 / rows;
            dOut[2 * b + 1] = vs * v1 / rows;
            dOut[tan + 2 * b] = v0 / rows;
            dOut[tan + 2 * b + 1] = v1 / rows;
        }
        return loss / rows;
    }
}
