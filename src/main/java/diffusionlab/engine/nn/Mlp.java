package diffusionlab.engine.nn;

import java.util.Arrays;

/**
 * The notebook's models as one fused, preallocated kernel: forward, backward, and the forward-mode
 * Jacobian-vector product that sliced score matching needs. Parameters live outside (a flat array laid
 * out by {@link ParamLayout}) so raw and EMA weights share one workspace. Nothing is allocated after
 * construction. Not thread-safe: one Mlp per thread.
 *
 * <pre>
 *   z_l = h_{l-1} W_l + b_l                 [rows, hidden]
 *   u_l = gamma_l[t] * z_l  (conditional)   ConditionalLinear: the per-step gain
 *   h_l = softplus(u_l)
 *   out = h_L W_out + b_out                 [rows, out]
 * </pre>
 * In tangent mode the rows are stacked [x; v] and the second half carries d/dx along v
 * (dot-z = dot-h W, dot-h = sigmoid(u) dot-z), so the GEMMs serve both halves at once.
 */
public final class Mlp {
    private final MlpShape shape;
    private final ParamLayout layout;
    private final int capacity;
    private final int hidden;
    private final int outDim;

    private final float[] input;     // [rows, in]
    private final int[] steps;       // [rows] t of each row
    private final float[][] z;       // per layer [rows, hidden]: pre-gain affine output
    private final float[][] sig;     // per layer [rows, hidden]: sigmoid(u) = softplus'(u)
    private final float[][] act;     // per layer [rows, hidden]: h_l
    private final float[] out;       // [rows, out]
    private final float[] gradAct;   // [rows, hidden]: dL/dh
    private final float[] gradPre;   // [rows, hidden]: dL/dz
    private final float[] transposed; // [hidden, max(in, hidden)] scratch for W^T
    private final float[] outT;       // [out, hidden]: W_out^T
    private final float[] outGradT;   // [out, hidden]: dL/dW_out^T
    private final float[] grad;

    private int rows;        // rows of the last forward (2 * batch in tangent mode)
    private int primalRows;  // rows that carry values (the rest carry tangents)

    /** A workspace for up to {@code maxBatch} rows, or 2 * maxBatch in tangent mode when {@code tangent}. */
    public Mlp(MlpShape shape, int maxBatch, boolean tangent) {
        this.shape = shape;
        this.layout = new ParamLayout(shape);
        this.capacity = tangent ? 2 * maxBatch : maxBatch;
        this.hidden = shape.hidden();
        this.outDim = shape.outputDim();
        input = new float[capacity * shape.inputDim()];
        steps = new int[capacity];
        z = new float[shape.layers()][capacity * hidden];
        sig = new float[shape.layers()][capacity * hidden];
        act = new float[shape.layers()][capacity * hidden];
        out = new float[capacity * outDim];
        gradAct = new float[capacity * hidden];
        gradPre = new float[capacity * hidden];
        transposed = new float[hidden * Math.max(hidden, shape.inputDim())];
        outT = new float[outDim * hidden];
        outGradT = new float[outDim * hidden];
        grad = new float[layout.size()];
    }

    public MlpShape shape() {
        return shape;
    }

    public ParamLayout layout() {
        return layout;
    }

    /** Largest batch a forward pass takes. */
    public int maxRows() {
        return capacity;
    }

    /**
     * out = f(x, t) for {@code n} rows; x is [n, in], t is [n] (ignored by an unconditional model).
     * Returns the internal output buffer [n, out], valid until the next call.
     */
    public float[] forward(float[] p, float[] x, int[] t, int n) {
        check(n);
        rows = n;
        primalRows = n;
        System.arraycopy(x, 0, input, 0, n * shape.inputDim());
        if (shape.conditional()) {
            System.arraycopy(t, 0, steps, 0, n);
        }
        run(p);
        return out;
    }

    /** The same as {@link #forward} for rows {@code from..from+n-1} of x, every row at step t. */
    public float[] forward(float[] p, float[] x, int from, int t, int n) {
        check(n);
        rows = n;
        primalRows = n;
        System.arraycopy(x, from * shape.inputDim(), input, 0, n * shape.inputDim());
        Arrays.fill(steps, 0, n, t);
        run(p);
        return out;
    }

    /**
     * Value and Jacobian-vector product of an unconditional model: returns [2n, out], rows 0..n-1 hold
     * f(x), rows n..2n-1 hold J_f(x) v.
     */
    public float[] forwardTangent(float[] p, float[] x, float[] v, int n) {
        if (shape.conditional()) {
            throw new IllegalStateException("tangents are only needed for the unconditional score model");
        }
        check(2 * n);
        rows = 2 * n;
        primalRows = n;
        int in = shape.inputDim();
        System.arraycopy(x, 0, input, 0, n * in);
        System.arraycopy(v, 0, input, n * in, n * in);
        run(p);
        return out;
    }

    private void check(int n) {
        if (n < 1 || n > capacity) {
            throw new IllegalArgumentException("rows " + n + " outside 1.." + capacity);
        }
    }

    private void run(float[] p) {
        float[] h = input;
        for (int l = 0; l < shape.layers(); l++) {
            int in = shape.layerInput(l);
            float[] zl = z[l];
            float[] al = act[l];
            float[] sl = sig[l];
            Kernels.gemm(h, 0, in, 1, p, layout.weight(l), zl, 0, rows, in, hidden, false);
            int bias = layout.bias(l);
            for (int b = 0; b < primalRows; b++) {
                int r = b * hidden;
                if (shape.conditional()) { // u = gamma_t (z + b), h = softplus(u)
                    Kernels.biasGainSoftplus(zl, r, p, bias, layout.gain(l) + steps[b] * hidden, al, sl, hidden);
                } else {
                    Kernels.addTo(p, bias, zl, r, hidden);
                    Kernels.softplus(zl, r, al, r, sl, r, hidden);
                }
            }
            for (int b = primalRows; b < rows; b++) { // dot-h = sigmoid(u) dot-z
                int r = b * hidden;
                Kernels.multiply(zl, r, sl, r - primalRows * hidden, al, r, hidden);
            }
            h = al;
        }
        outputLayer(p, h);
    }

    private void outputLayer(float[] p, float[] h) {
        Kernels.transpose(p, layout.outWeight(), hidden, outDim, outT, 0);
        int ob = layout.outBias();
        for (int b = 0; b < rows; b++) {
            for (int o = 0; o < outDim; o++) {
                float s = Kernels.dot(h, b * hidden, outT, o * hidden, hidden);
                out[b * outDim + o] = b < primalRows ? s + p[ob + o] : s;
            }
        }
    }

    /**
     * Gradient of a loss with respect to every parameter, given dL/d(out) for the rows of the last forward
     * ([n, out], or [2n, out] after {@link #forwardTangent}: cotangents of the values, then of the JVPs).
     * Returns the internal gradient buffer (laid out like the parameters), valid until the next call.
     */
    public float[] backward(float[] p, float[] dOut) {
        Arrays.fill(grad, 0f);
        int L = shape.layers();
        float[] top = act[L - 1];
        // output layer: dW_out^T[o] = sum_b dOut[b, o] h_L[b]; dh_L[b] = sum_o dOut[b, o] W_out^T[o]
        Arrays.fill(outGradT, 0f);
        Arrays.fill(gradAct, 0, rows * hidden, 0f);
        int ob = layout.outBias();
        for (int b = 0; b < rows; b++) {
            for (int o = 0; o < outDim; o++) {
                float g = dOut[b * outDim + o];
                Kernels.axpy(g, top, b * hidden, outGradT, o * hidden, hidden);
                Kernels.axpy(g, outT, o * hidden, gradAct, b * hidden, hidden);
                if (b < primalRows) {
                    grad[ob + o] += g;
                }
            }
        }
        Kernels.transpose(outGradT, 0, outDim, hidden, grad, layout.outWeight());
        for (int l = L - 1; l >= 0; l--) {
            preActivationGradient(p, l);
            int in = shape.layerInput(l);
            float[] h = l == 0 ? input : act[l - 1];
            // dW_l = h^T dz: A = h^T read with swapped strides
            Kernels.gemm(h, 0, 1, in, gradPre, 0, grad, layout.weight(l), in, rows, hidden, false);
            if (l > 0) { // dh_{l-1} = dz W_l^T
                Kernels.transpose(p, layout.weight(l), in, hidden, transposed, 0);
                Kernels.gemm(gradPre, 0, hidden, 1, transposed, 0, gradAct, 0, rows, hidden, in, false);
            }
        }
        return grad;
    }

    /** gradPre = dL/dz_l from gradAct = dL/dh_l; accumulates the bias (and a conditional layer's gain) gradient. */
    private void preActivationGradient(float[] p, int l) {
        float[] zl = z[l];
        float[] sl = sig[l];
        int gain = layout.gain(l);
        int bias = layout.bias(l);
        for (int b = 0; b < primalRows; b++) {
            int r = b * hidden;
            if (shape.conditional()) { // du = dh sigmoid(u); dgamma_t += du z; dz = du gamma_t; db += dz
                Kernels.biasGainSoftplusBackward(gradAct, sl, zl, r, p, grad, bias, gain + steps[b] * hidden,
                        gradPre, hidden);
            } else {
                Kernels.multiply(gradAct, r, sl, r, gradPre, r, hidden); // dz = dh sigmoid(z)
            }
        }
        if (rows > primalRows) {
            // tangent rows: d dot-z = sigmoid(u) d dot-h; value rows gain sigmoid'(u) dot-z d dot-h,
            // sigmoid' = sigmoid (1 - sigmoid)
            int shift = primalRows * hidden;
            for (int b = 0; b < primalRows; b++) {
                int r = b * hidden;
                int rt = r + shift;
                for (int j = 0; j < hidden; j++) {
                    float s = sl[r + j];
                    float gTan = gradAct[rt + j];
                    gradPre[r + j] += s * (1 - s) * zl[rt + j] * gTan;
                    gradPre[rt + j] = s * gTan;
                }
            }
        }
        if (!shape.conditional()) {
            for (int b = 0; b < primalRows; b++) {
                Kernels.addTo(gradPre, b * hidden, grad, bias, hidden);
            }
        }
    }
}
