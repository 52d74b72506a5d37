package diffusionlab.engine.nn;

/**
 * The shape of the notebook's models: {@code layers} hidden layers of width {@code hidden} with softplus,
 * then a linear output. With {@code timesteps > 0} every hidden layer is a ConditionalLinear (its output
 * multiplied by a per-step gain gamma_t, an embedding row); with 0 it is the plain score MLP.
 */
public record MlpShape(int inputDim, int hidden, int layers, int outputDim, int timesteps) {
    public MlpShape {
        if (inputDim < 1 || hidden < 1 || layers < 1 || outputDim < 1 || timesteps < 0) {
            throw new IllegalArgumentException("invalid shape " + inputDim + "/" + hidden + "/" + layers
                    + "/" + outputDim + "/" + timesteps);
        }
    }

    public boolean conditional() {
        return timesteps > 0;
    }

    /** Input width of hidden layer l. */
    public int layerInput(int l) {
        return l == 0 ? inputDim : hidden;
    }
}
