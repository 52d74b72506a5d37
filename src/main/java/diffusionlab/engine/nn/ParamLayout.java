package diffusionlab.engine.nn;

import diffusionlab.engine.Rng;

/**
 * Where each parameter lives in one flat float array, so that Adam, EMA, clipping and checkpoints
 * treat the whole model as a single vector. Per hidden layer l: W_l [in_l, hidden] (row-major, so
 * z = h W_l + b_l), b_l [hidden], and for a conditional model the gains gamma_l [T, hidden].
 * Then W_out [hidden, out] and b_out [out].
 */
public final class ParamLayout {
    public final MlpShape shape;
    private final int[] weight;
    private final int[] bias;
    private final int[] gain;
    private final int outWeight;
    private final int outBias;
    private final int size;

    public ParamLayout(MlpShape shape) {
        this.shape = shape;
        int l = shape.layers();
        weight = new int[l];
        bias = new int[l];
        gain = new int[l];
        int offset = 0;
        for (int i = 0; i < l; i++) {
            weight[i] = offset;
            offset += shape.layerInput(i) * shape.hidden();
            bias[i] = offset;
            offset += shape.hidden();
            gain[i] = offset;
            offset += shape.timesteps() * shape.hidden();
        }
        outWeight = offset;
        offset += shape.hidden() * shape.outputDim();
        outBias = offset;
        offset += shape.outputDim();
        size = offset;
    }

    public int size() {
        return size;
    }

    public int weight(int layer) {
        return weight[layer];
    }

    public int bias(int layer) {
        return bias[layer];
    }

    /** Offset of gamma_l, [T, hidden]; only meaningful for a conditional model. */
    public int gain(int layer) {
        return gain[layer];
    }

    public int outWeight() {
        return outWeight;
    }

    public int outBias() {
        return outBias;
    }

    /**
     * PyTorch's initialisation, as the notebook gets it: nn.Linear weights and biases ~ U(-1/sqrt(in), 1/sqrt(in)),
     * and ConditionalLinear's embedding ~ U(0, 1) ({@code embed.weight.data.uniform_()}).
     */
    public float[] initialise(Rng rng) {
        float[] p = new float[size];
        int h = shape.hidden();
        for (int l = 0; l < shape.layers(); l++) {
            double bound = 1 / Math.sqrt(shape.layerInput(l));
            fillUniform(p, weight[l], shape.layerInput(l) * h, -bound, bound, rng);
            fillUniform(p, bias[l], h, -bound, bound, rng);
            fillUniform(p, gain[l], shape.timesteps() * h, 0, 1, rng);
        }
        double bound = 1 / Math.sqrt(h);
        fillUniform(p, outWeight, h * shape.outputDim(), -bound, bound, rng);
        fillUniform(p, outBias, shape.outputDim(), -bound, bound, rng);
        return p;
    }

    private static void fillUniform(float[] p, int from, int n, double lo, double hi, Rng rng) {
        for (int i = from; i < from + n; i++) {
            p[i] = (float) rng.uniform(lo, hi);
        }
    }
}
