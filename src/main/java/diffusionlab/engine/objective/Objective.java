package diffusionlab.engine.objective;

import diffusionlab.engine.Rng;

/**
 * A training loss, split so that any model backend can run it: {@link #prepare} turns clean data into the
 * model's inputs (drawing t and noise), the model computes its outputs, and {@link #lossAndGradient}
 * scores them and gives dLoss/dOutputs. All in double precision (tiny arrays, [rows, outputs]).
 */
public interface Objective {
    /** Outputs per row the model must have (2: a vector field; 4: mean and log-variance). */
    int outputDim();

    /** Whether the model is conditioned on t (a ConditionalLinear model) or is the plain score MLP. */
    boolean conditional();

    /** Whether the loss needs J v as well as f(x) (sliced score matching). */
    default boolean needsTangent() {
        return false;
    }

    /** Fills batch.input, batch.t, batch.noise (and batch.tangent) from batch.x0 for batch.rows rows. */
    void prepare(Batch batch, Rng rng);

    /**
     * The loss of the outputs for the prepared batch, and its gradient written into {@code dOut}
     * (same layout as {@code out}: [rows, outputDim], or [2 rows, outputDim] when tangents are needed).
     */
    double lossAndGradient(Batch batch, double[] out, double[] dOut);
}
