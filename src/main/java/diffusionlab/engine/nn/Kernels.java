package diffusionlab.engine.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused, allocation-free float kernels the hot paths run on: a register-blocked GEMM, the
 * softplus/sigmoid pair, and the vector updates of Adam and EMA. Written with the Vector API because
 * ND4J's per-op overhead is larger than a whole 128x128 layer here (see BENCHMARKS.md); the readable
 * ND4J version of the same math is {@code diffusionlab.engine.nn.reference.ReferenceMlp}.
 */
final class Kernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    private static final int BLOCK = 4 * L; // columns held in registers per row

    private Kernels() {
    }

    /**
     * C[m, n] (+)= A[m, k] B[k, n], B and C row-major and contiguous; A read as a[aOff + i*aRow + p*aCol],
     * so A^T is just swapped strides (used for the weight gradients, dW = h^T dz).
     */
    static void gemm(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, float[] c, int cOff,
                     int m, int k, int n, boolean accumulate) {
        int i = 0;
        for (; i + 1 < m; i += 2) {
            int a0 = aOff + i * aRow;
            int a1 = a0 + aRow;
            int c0 = cOff + i * n;
            int c1 = c0 + n;
            int j = 0;
            for (; j + BLOCK <= n; j += BLOCK) {
                block2x4(a, a0, a1, aCol, b, bOff + j, n, c, c0 + j, c1 + j, k, accumulate);
            }
            for (; j < n; j += L) {
                VectorMask<Float> mask = S.indexInRange(j, n);
                FloatVector s0 = accumulate ? FloatVector.fromArray(S, c, c0 + j, mask) : FloatVector.zero(S);
                FloatVector s1 = accumulate ? FloatVector.fromArray(S, c, c1 + j, mask) : FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    FloatVector bv = FloatVector.fromArray(S, b, bOff + p * n + j, mask);
                    s0 = bv.fma(FloatVector.broadcast(S, a[a0 + p * aCol]), s0);
                    s1 = bv.fma(FloatVector.broadcast(S, a[a1 + p * aCol]), s1);
                }
                s0.intoArray(c, c0 + j, mask);
                s1.intoArray(c, c1 + j, mask);
            }
        }
        if (i < m) {
            int a0 = aOff + i * aRow;
            int c0 = cOff + i * n;
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> mask = S.indexInRange(j, n);
                FloatVector s0 = accumulate ? FloatVector.fromArray(S, c, c0 + j, mask) : FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    s0 = FloatVector.fromArray(S, b, bOff + p * n + j, mask).fma(FloatVector.broadcast(S, a[a0 + p * aCol]), s0);
                }
                s0.intoArray(c, c0 + j, mask);
            }
        }
    }

    /** Two rows of C times four vectors of columns, all eight accumulators in registers. */
    private static void block2x4(float[] a, int a0, int a1, int aCol, float[] b, int bOff, int n,
                                 float[] c, int c0, int c1, int k, boolean accumulate) {
        FloatVector x0, x1, x2, x3, y0, y1, y2, y3;
        if (accumulate) {
            x0 = FloatVector.fromArray(S, c, c0);
            x1 = FloatVector.fromArray(S, c, c0 + L);
            x2 = FloatVector.fromArray(S, c, c0 + 2 * L);
            x3 = FloatVector.fromArray(S, c, c0 + 3 * L);
            y0 = FloatVector.fromArray(S, c, c1);
            y1 = FloatVector.fromArray(S, c, c1 + L);
            y2 = FloatVector.fromArray(S, c, c1 + 2 * L);
            y3 = FloatVector.fromArray(S, c, c1 + 3 * L);
        } else {
            x0 = x1 = x2 = x3 = y0 = y1 = y2 = y3 = FloatVector.zero(S);
        }
        for (int p = 0; p < k; p++) {
            int o = bOff + p * n;
            FloatVector b0 = FloatVector.fromArray(S, b, o);
            FloatVector b1 = FloatVector.fromArray(S, b, o + L);
            FloatVector b2 = FloatVector.fromArray(S, b, o + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, o + 3 * L);
            FloatVector u = FloatVector.broadcast(S, a[a0 + p * aCol]);
            FloatVector v = FloatVector.broadcast(S, a[a1 + p * aCol]);
            x0 = b0.fma(u, x0);
            x1 = b1.fma(u, x1);
            x2 = b2.fma(u, x2);
            x3 = b3.fma(u, x3);
            y0 = b0.fma(v, y0);
            y1 = b1.fma(v, y1);
            y2 = b2.fma(v, y2);
            y3 = b3.fma(v, y3);
        }
        x0.intoArray(c, c0);
        x1.intoArray(c, c0 + L);
        x2.intoArray(c, c0 + 2 * L);
        x3.intoArray(c, c0 + 3 * L);
        y0.intoArray(c, c1);
        y1.intoArray(c, c1 + L);
        y2.intoArray(c, c1 + 2 * L);
        y3.intoArray(c, c1 + 3 * L);
    }

    /** x[0..n) . y[0..n). */
    static float dot(float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j <= n - L; j += L) {
            acc = FloatVector.fromArray(S, x, xOff + j).fma(FloatVector.fromArray(S, y, yOff + j), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            s += x[xOff + j] * y[yOff + j];
        }
        return s;
    }

    /** out[j, i] = in[i, j] for an [rows, cols] block, in 16 x 16 tiles so both sides stay in cache lines. */
    static void transpose(float[] in, int inOff, int rows, int cols, float[] out, int outOff) {
        for (int i0 = 0; i0 < rows; i0 += 16) {
            int i1 = Math.min(rows, i0 + 16);
            for (int j0 = 0; j0 < cols; j0 += 16) {
                int j1 = Math.min(cols, j0 + 16);
                for (int i = i0; i < i1; i++) {
                    int r = inOff + i * cols;
                    for (int j = j0; j < j1; j++) {
                        out[outOff + j * rows + i] = in[r + j];
                    }
                }
            }
        }
    }

    /** y[0..n) = x[0..n) * g[0..n) (elementwise), vectorised. */
    static void multiply(float[] x, int xOff, float[] g, int gOff, float[] y, int yOff, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector.fromArray(S, x, xOff + j).mul(FloatVector.fromArray(S, g, gOff + j)).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] = x[xOff + j] * g[gOff + j];
        }
    }

    /** y[0..n) += x[0..n) * g[0..n). */
    static void multiplyAdd(float[] x, int xOff, float[] g, int gOff, float[] y, int yOff, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector.fromArray(S, x, xOff + j).fma(FloatVector.fromArray(S, g, gOff + j),
                    FloatVector.fromArray(S, y, yOff + j)).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] += x[xOff + j] * g[gOff + j];
        }
    }

    /** y[0..n) += x[0..n). */
    static void addTo(float[] x, int xOff, float[] y, int yOff, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector.fromArray(S, y, yOff + j).add(FloatVector.fromArray(S, x, xOff + j)).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] += x[xOff + j];
        }
    }

    /** y[0..n) += alpha x[0..n). */
    static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector a = FloatVector.broadcast(S, alpha);
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector.fromArray(S, x, xOff + j).fma(a, FloatVector.fromArray(S, y, yOff + j)).intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] += alpha * x[xOff + j];
        }
    }

    /**
     * a = softplus(u) = max(u, 0) + log1p(exp(-|u|)) and sig = sigmoid(u) = softplus'(u), from one exp.
     * Numerically stable for any u.
     */
    static void softplus(float[] u, int uOff, float[] a, int aOff, float[] sig, int sOff, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector x = FloatVector.fromArray(S, u, uOff + j);
            FloatVector e = x.abs().neg().lanewise(VectorOperators.EXP);
            x.max(0f).add(e.lanewise(VectorOperators.LOG1P)).intoArray(a, aOff + j);
            one.blend(e, x.compare(VectorOperators.LT, 0f)).div(one.add(e)).intoArray(sig, sOff + j);
        }
        for (; j < n; j++) {
            float x = u[uOff + j];
            double e = Math.exp(-Math.abs(x));
            a[aOff + j] = (float) (Math.max(x, 0) + Math.log1p(e));
            sig[sOff + j] = (float) ((x < 0 ? e : 1) / (1 + e));
        }
    }

    /**
     * One row of a ConditionalLinear layer after its GEMM, fused: z += b (kept for the gain's gradient),
     * u = gamma_t z, a = softplus(u), sig = sigmoid(u).
     */
    static void biasGainSoftplus(float[] z, int zOff, float[] p, int bOff, int gOff, float[] a, float[] sig, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector zv = FloatVector.fromArray(S, z, zOff + j).add(FloatVector.fromArray(S, p, bOff + j));
            zv.intoArray(z, zOff + j);
            FloatVector u = zv.mul(FloatVector.fromArray(S, p, gOff + j));
            FloatVector e = u.abs().neg().lanewise(VectorOperators.EXP);
            u.max(0f).add(e.lanewise(VectorOperators.LOG1P)).intoArray(a, zOff + j);
            one.blend(e, u.compare(VectorOperators.LT, 0f)).div(one.add(e)).intoArray(sig, zOff + j);
        }
        for (; j < n; j++) {
            float zj = z[zOff + j] + p[bOff + j];
            z[zOff + j] = zj;
            float u = zj * p[gOff + j];
            double e = Math.exp(-Math.abs(u));
            a[zOff + j] = (float) (Math.max(u, 0) + Math.log1p(e));
            sig[zOff + j] = (float) ((u < 0 ? e : 1) / (1 + e));
        }
    }

    /**
     * The backward of {@link #biasGainSoftplus} for one row, fused: du = dh sig; dgamma_t += du z;
     * dz = du gamma_t (written to dz); db += dz.
     */
    static void biasGainSoftplusBackward(float[] dh, float[] sig, float[] z, int off, float[] p, float[] grad,
                                         int bOff, int gOff, float[] dz, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector du = FloatVector.fromArray(S, dh, off + j).mul(FloatVector.fromArray(S, sig, off + j));
            du.fma(FloatVector.fromArray(S, z, off + j), FloatVector.fromArray(S, grad, gOff + j))
                    .intoArray(grad, gOff + j);
            FloatVector d = du.mul(FloatVector.fromArray(S, p, gOff + j));
            d.intoArray(dz, off + j);
            FloatVector.fromArray(S, grad, bOff + j).add(d).intoArray(grad, bOff + j);
        }
        for (; j < n; j++) {
            float du = dh[off + j] * sig[off + j];
            grad[gOff + j] += du * z[off + j];
            float d = du * p[gOff + j];
            dz[off + j] = d;
            grad[bOff + j] += d;
        }
    }

    /** Sum of squares of x[0..n), accumulated in double lanes-per-chunk. */
    static double sumOfSquares(float[] x, int n) {
        double total = 0;
        int j = 0;
        for (; j <= n - L; ) {
            int end = Math.min(n - L, j + 64 * L);
            FloatVector acc = FloatVector.zero(S);
            for (; j <= end; j += L) {
                FloatVector v = FloatVector.fromArray(S, x, j);
                acc = v.fma(v, acc);
            }
            total += acc.reduceLanes(VectorOperators.ADD);
        }
        for (; j < n; j++) {
            total += (double) x[j] * x[j];
        }
        return total;
    }

    /** x[0..n) *= s. */
    static void scale(float[] x, int n, float s) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector.fromArray(S, x, j).mul(s).intoArray(x, j);
        }
        for (; j < n; j++) {
            x[j] *= s;
        }
    }

    /**
     * Adam (Kingma & Ba 2015, Alg. 1) as torch.optim.Adam computes it:
     * m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps).
     */
    static void adam(float[] p, float[] g, float[] mom, float[] vel, int n, float b1, float b2,
                     float stepSize, float invSqrtBc2, float eps) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector gv = FloatVector.fromArray(S, g, j);
            FloatVector mv = FloatVector.fromArray(S, mom, j).mul(b1).add(gv.mul(1 - b1));
            FloatVector vv = FloatVector.fromArray(S, vel, j).mul(b2).add(gv.mul(gv).mul(1 - b2));
            mv.intoArray(mom, j);
            vv.intoArray(vel, j);
            FloatVector denom = vv.lanewise(VectorOperators.SQRT).mul(invSqrtBc2).add(eps);
            FloatVector.fromArray(S, p, j).sub(mv.div(denom).mul(stepSize)).intoArray(p, j);
        }
        for (; j < n; j++) {
            mom[j] = b1 * mom[j] + (1 - b1) * g[j];
            vel[j] = b2 * vel[j] + (1 - b2) * g[j] * g[j];
            p[j] -= stepSize * mom[j] / ((float) Math.sqrt(vel[j]) * invSqrtBc2 + eps);
        }
    }

    /** shadow = mu shadow + (1 - mu) p. */
    static void ema(float[] shadow, float[] p, int n, float mu) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector s = FloatVector.fromArray(S, shadow, j);
            FloatVector.fromArray(S, p, j).mul(1 - mu).add(s.mul(mu)).intoArray(shadow, j);
        }
        for (; j < n; j++) {
            shadow[j] = (1 - mu) * p[j] + mu * shadow[j];
        }
    }
}
