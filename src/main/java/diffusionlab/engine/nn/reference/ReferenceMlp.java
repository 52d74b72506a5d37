package diffusionlab.engine.nn.reference;

import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.nn.ParamLayout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The readable reference of {@link diffusionlab.engine.nn.Mlp}: the same model, the same flat parameter
 * layout ({@link ParamLayout}) and the same three entry points (forward, forward-mode tangent, backward),
 * written op by op with ND4J arrays and a hand-written backward pass that reads like the math.
 * In {@link DataType#DOUBLE} it is the float64 ground truth the gradient checks and the fused float kernel
 * are tested against; in {@link DataType#FLOAT} it shows what plain float32 arithmetic gives. It allocates
 * freely and is slow: correctness and clarity are its only goals.
 *
 * <pre>
 *   z_l = h_{l-1} W_l + b_l                 [n, hidden]   (h_0 = x, [n, in])
 *   u_l = gamma_l[t] * z_l  (conditional)   [n, hidden]   ConditionalLinear: the per-step gain
 *   u_l = z_l               (unconditional)
 *   h_l = softplus(u_l)                     [n, hidden]
 *   out = h_L W_out + b_out                 [n, out]
 * </pre>
 * Tangent mode (unconditional only) also pushes a direction v through the network, giving J_f(x) v:
 * <pre>
 *   zdot_l = hdot_{l-1} W_l                 (no bias: it does not depend on x; hdot_0 = v)
 *   hdot_l = sigmoid(u_l) * zdot_l          (softplus' = sigmoid)
 *   outdot = hdot_L W_out
 * </pre>
 * Not thread-safe: a forward stores what the following backward needs.
 */
public final class ReferenceMlp {
    private final MlpShape shape;
    private final ParamLayout layout;
    private final DataType type;

    // The parameters of the last forward, as arrays of the chosen type.
    private INDArray[] weight;   // W_l [in_l, hidden]
    private INDArray[] bias;     // b_l [1, hidden]
    private INDArray[] gain;     // gamma_l [T, hidden] (conditional only)
    private INDArray outWeight;  // W_out [hidden, out]
    private INDArray outBias;    // b_out [1, out]

    // What the last forward saw and computed, per layer l.
    private int n;               // rows of values
    private boolean tangent;     // whether the last forward was forwardTangent
    private INDArray oneHot;     // E [n, T], E[b, t_b] = 1, so that gamma_l[t] = E gamma_l
    private INDArray[] layerIn;  // h_{l-1} [n, in_l]
    private INDArray[] layerInDot; // hdot_{l-1} [n, in_l] (tangent mode)
    private INDArray[] pre;      // z_l [n, hidden]
    private INDArray[] zDot;     // zdot_l [n, hidden] (tangent mode)
    private INDArray[] gainRows; // gamma_l[t] [n, hidden] (conditional)
    private INDArray[] sig;      // sigmoid(u_l) [n, hidden]
    private INDArray top;        // h_L [n, hidden]
    private INDArray topDot;     // hdot_L [n, hidden] (tangent mode)

    public ReferenceMlp(MlpShape shape, DataType type) {
        if (type != DataType.DOUBLE && type != DataType.FLOAT) {
            throw new IllegalArgumentException("DOUBLE or FLOAT, not " + type);
        }
        this.shape = shape;
        this.layout = new ParamLayout(shape);
        this.type = type;
    }

    public MlpShape shape() {
        return shape;
    }

    public ParamLayout layout() {
        return layout;
    }

    public DataType dataType() {
        return type;
    }

    /** out = f(x, t): x is [n, in] row-major, t is [n] (ignored when unconditional). Returns [n, out]. */
    public double[] forward(double[] params, double[] x, int[] t, int n) {
        loadParameters(params);
        this.n = n;
        this.tangent = false;
        INDArray h = matrix(x, n, shape.inputDim());                       // h_0 = x [n, in]
        if (shape.conditional()) {
            oneHot = Nd4j.zeros(type, n, shape.timesteps());               // E [n, T]
            for (int b = 0; b < n; b++) {
                oneHot.putScalar(b, t[b], 1.0);
            }
        }
        allocateLayers();
        for (int l = 0; l < shape.layers(); l++) {
            layerIn[l] = h;
            INDArray z = h.mmul(weight[l]).addRowVector(bias[l]);          // z = h W + b [n, hidden]
            pre[l] = z;
            INDArray u = z;
            if (shape.conditional()) {
                gainRows[l] = oneHot.mmul(gain[l]);                        // gamma[t] = E gamma [n, hidden]
                u = z.mul(gainRows[l]);                                    // u = gamma[t] * z [n, hidden]
            }
            sig[l] = Transforms.sigmoid(u, true);                          // softplus'(u) [n, hidden]
            h = softplus(u);                                               // h = softplus(u) [n, hidden]
        }
        top = h;
        INDArray out = h.mmul(outWeight).addRowVector(outBias);           // out = h W_out + b_out [n, out]
        return toDoubles(out);
    }

    /** {@link #forward(double[], double[], int[], int)} with float parameters and inputs (widened exactly). */
    public double[] forward(float[] params, float[] x, int[] t, int n) {
        return forward(widen(params), widen(x), t, n);
    }

    /**
     * Value and Jacobian-vector product of the unconditional model: returns [2n, out], rows 0..n-1 hold
     * f(x), rows n..2n-1 hold J_f(x) v (v is [n, in], one direction per row).
     */
    public double[] forwardTangent(double[] params, double[] x, double[] v, int n) {
        if (shape.conditional()) {
            throw new IllegalStateException("tangents are only needed for the unconditional score model");
        }
        loadParameters(params);
        this.n = n;
        this.tangent = true;
        INDArray h = matrix(x, n, shape.inputDim());                       // h_0 = x [n, in]
        INDArray hDot = matrix(v, n, shape.inputDim());                    // hdot_0 = v [n, in]
        allocateLayers();
        for (int l = 0; l < shape.layers(); l++) {
            layerIn[l] = h;
            layerInDot[l] = hDot;
            INDArray z = h.mmul(weight[l]).addRowVector(bias[l]);          // z = h W + b [n, hidden]
            pre[l] = z;
            zDot[l] = hDot.mmul(weight[l]);                                // zdot = hdot W [n, hidden]
            sig[l] = Transforms.sigmoid(z, true);                          // sigmoid(u), u = z [n, hidden]
            h = softplus(z);                                               // h = softplus(z) [n, hidden]
            hDot = sig[l].mul(zDot[l]);                                    // hdot = sigmoid(z) * zdot [n, hidden]
        }
        top = h;
        topDot = hDot;
        INDArray out = h.mmul(outWeight).addRowVector(outBias);           // f(x) [n, out]
        INDArray outDot = hDot.mmul(outWeight);                            // J_f(x) v [n, out]
        return toDoubles(Nd4j.vstack(out, outDot));                        // [2n, out]
    }

    /** {@link #forwardTangent(double[], double[], double[], int)} with float parameters and inputs. */
    public double[] forwardTangent(float[] params, float[] x, float[] v, int n) {
        return forwardTangent(widen(params), widen(x), widen(v), n);
    }

    /**
     * dLoss/dParams, laid out like the parameters, given dLoss/dOut for the rows of the last forward:
     * [n, out], or [2n, out] after {@link #forwardTangent} (cotangents of f(x), then of J_f(x) v).
     */
    public double[] backward(double[] dOut) {
        if (weight == null) {
            throw new IllegalStateException("backward needs a forward first");
        }
        int outDim = shape.outputDim();
        double[] grad = new double[layout.size()];
        INDArray dAll = matrix(dOut, tangent ? 2 * n : n, outDim);
        INDArray dValue = rows(dAll, 0, n);                                // dL/dout [n, out]
        INDArray dTan = tangent ? rows(dAll, n, 2 * n) : null;             // dL/doutdot [n, out]

        // Output layer: out = h W_out + b_out, outdot = hdot W_out.
        INDArray dOutWeight = Nd4j.gemm(top, dValue, true, false);         // h^T dout [hidden, out]
        if (tangent) {
            dOutWeight.addi(Nd4j.gemm(topDot, dTan, true, false));         // + hdot^T doutdot
        }
        put(grad, layout.outWeight(), dOutWeight);
        put(grad, layout.outBias(), dValue.sum(0));                        // sum_rows dout [out]
        INDArray dh = Nd4j.gemm(dValue, outWeight, false, true);           // dout W_out^T [n, hidden]
        INDArray dhDot = tangent ? Nd4j.gemm(dTan, outWeight, false, true) : null; // doutdot W_out^T

        for (int l = shape.layers() - 1; l >= 0; l--) {
            INDArray s = sig[l];
            INDArray du = dh.mul(s);                                       // dL/du = dL/dh * sigmoid(u) [n, hidden]
            INDArray dzDot = null;
            if (tangent) {
                // hdot = sigma(u) zdot: the value path also gets sigma'(u) zdot dL/dhdot, sigma' = sigma (1 - sigma)
                INDArray sigmaPrime = s.mul(s.rsub(1.0));                  // sigma (1 - sigma) [n, hidden]
                du.addi(sigmaPrime.mul(zDot[l]).muli(dhDot));              // + sigma'(u) zdot dL/dhdot
                dzDot = s.mul(dhDot);                                      // dL/dzdot = sigma(u) dL/dhdot [n, hidden]
            }
            INDArray dz = du;                                              // unconditional: u = z
            if (shape.conditional()) {
                INDArray dGainRows = du.mul(pre[l]);                       // dL/dgamma[t] = dL/du * z [n, hidden]
                put(grad, layout.gain(l), Nd4j.gemm(oneHot, dGainRows, true, false)); // E^T (..) [T, hidden]
                dz = du.mul(gainRows[l]);                                  // dL/dz = dL/du * gamma[t] [n, hidden]
            }
            put(grad, layout.bias(l), dz.sum(0));                          // dL/db = sum_rows dL/dz [hidden]
            INDArray dW = Nd4j.gemm(layerIn[l], dz, true, false);          // dL/dW = h^T dz [in, hidden]
            if (tangent) {
                dW.addi(Nd4j.gemm(layerInDot[l], dzDot, true, false));     // + hdot^T dzdot
            }
            put(grad, layout.weight(l), dW);
            if (l > 0) {
                dh = Nd4j.gemm(dz, weight[l], false, true);                // dL/dh_{l-1} = dz W^T [n, in]
                dhDot = tangent ? Nd4j.gemm(dzDot, weight[l], false, true) : null; // dzdot W^T
            }
        }
        return grad;
    }

    /** softplus(u) = max(u, 0) + log(1 + exp(-|u|)): log(1 + e^u) without overflow for large u. */
    private static INDArray softplus(INDArray u) {
        INDArray tail = Transforms.log1p(Transforms.exp(Transforms.abs(u, true).negi(), false), false);
        return Transforms.relu(u, true).addi(tail);
    }

    private void loadParameters(double[] p) {
        if (p.length != layout.size()) {
            throw new IllegalArgumentException("expected " + layout.size() + " parameters, got " + p.length);
        }
        int h = shape.hidden();
        int layers = shape.layers();
        weight = new INDArray[layers];
        bias = new INDArray[layers];
        gain = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            weight[l] = slice(p, layout.weight(l), shape.layerInput(l), h);
            bias[l] = slice(p, layout.bias(l), 1, h);
            if (shape.conditional()) {
                gain[l] = slice(p, layout.gain(l), shape.timesteps(), h);
            }
        }
        outWeight = slice(p, layout.outWeight(), h, shape.outputDim());
        outBias = slice(p, layout.outBias(), 1, shape.outputDim());
    }

    private void allocateLayers() {
        int layers = shape.layers();
        layerIn = new INDArray[layers];
        layerInDot = new INDArray[layers];
        pre = new INDArray[layers];
        zDot = new INDArray[layers];
        gainRows = new INDArray[layers];
        sig = new INDArray[layers];
        top = null;
        topDot = null;
    }

    /** A [rows, cols] copy of p[offset .. offset + rows * cols), row-major, in the chosen type. */
    private INDArray slice(double[] p, int offset, int rows, int cols) {
        double[] block = java.util.Arrays.copyOfRange(p, offset, offset + rows * cols);
        return Nd4j.create(block, new long[] {rows, cols}, 'c').castTo(type);
    }

    private INDArray matrix(double[] a, int rows, int cols) {
        return slice(a, 0, rows, cols);
    }

    private static INDArray rows(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /** Writes a (any shape, row-major) into grad at offset. */
    private static void put(double[] grad, int offset, INDArray a) {
        double[] values = toDoubles(a);
        System.arraycopy(values, 0, grad, offset, values.length);
    }

    private static double[] toDoubles(INDArray a) {
        return Nd4j.toFlattened('c', a).castTo(DataType.DOUBLE).toDoubleVector();
    }

    private static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
