package diffusionlab.engine.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.Rng;
import diffusionlab.engine.data.Dataset;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.nn.reference.ReferenceMlp;
import diffusionlab.engine.objective.Batch;
import diffusionlab.engine.objective.Objective;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.engine.schedule.NoiseSchedule;
import diffusionlab.engine.schedule.ScheduleKind;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The fused float kernel {@link Mlp} computes the same outputs, loss and parameter gradients as the readable
 * ND4J {@link ReferenceMlp} for every objective: at the notebook's size (hidden 128, T = 100, batch 128) and
 * at a width that is not a multiple of the vector length with an odd batch (hidden 40, batch 17), which runs
 * the kernels' masked tails and the GEMM's single-row remainder. The kernel's workspace is sized for the
 * notebook's batch and used for another batch first, as a trainer reuses it.
 */
class MlpMatchesReferenceTest {
    private static final int T = 100;
    private static final double TOLERANCE = 1e-4;
    private static final int WORKSPACE_BATCH = 128;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        // {hidden, batch}: the notebook's; a width below one register block (all masked tails) with an odd
        // batch; a width of whole register blocks plus a tail.
        int[][] sizes = {{128, 128}, {40, 17}, {100, 33}};
        for (int[] size : sizes) {
            for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                for (Prediction prediction : Prediction.values()) {
                    cases.add(Arguments.of("ddpm_simple/" + prediction.id(), ObjectiveKind.DDPM_SIMPLE, prediction,
                            size[0], size[1], type));
                }
                for (ObjectiveKind kind : new ObjectiveKind[] {ObjectiveKind.DSM, ObjectiveKind.SSM,
                        ObjectiveKind.VLB_SOHL, ObjectiveKind.DDPM_VLB, ObjectiveKind.FLOW_MATCHING}) {
                    cases.add(Arguments.of(kind.id(), kind, Prediction.EPSILON, size[0], size[1], type));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, hidden {3}, batch {4}, reference {5}")
    @MethodSource("cases")
    void fusedKernelGivesTheReferenceOutputsLossAndGradients(String name, ObjectiveKind kind, Prediction prediction,
                                                            int hidden, int rows, DataType type) {
        NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.SIGMOID, T, 1e-4, 0.05);
        Objective objective = kind.create(schedule, prediction, 0.1);
        // The notebook's models: 3 layers for the DDPM noise model, 2 for the mean/variance and score models.
        int layers = kind == ObjectiveKind.DDPM_SIMPLE ? 3 : 2;
        MlpShape shape = new MlpShape(2, hidden, layers, objective.outputDim(), objective.conditional() ? T : 0);
        Mlp kernel = new Mlp(shape, WORKSPACE_BATCH, objective.needsTangent());
        ReferenceMlp reference = new ReferenceMlp(shape, type);
        float[] params = kernel.layout().initialise(new Rng(42));

        Rng rng = new Rng(1234);
        Batch previous = preparedBatch(objective, WORKSPACE_BATCH, rng);
        float[] previousX = narrow(previous.input, 2 * WORKSPACE_BATCH);
        float[] previousOut = objective.needsTangent()
                ? kernel.forwardTangent(params, previousX, narrow(previous.tangent, 2 * WORKSPACE_BATCH), WORKSPACE_BATCH)
                : kernel.forward(params, previousX, previous.t, WORKSPACE_BATCH);
        kernel.backward(params, previousOut); // any cotangent: this pass only leaves state behind

        Batch batch = preparedBatch(objective, rows, rng);
        // Both models see the same float inputs (the kernel's precision), the reference widens them exactly.
        float[] x = narrow(batch.input, 2 * rows);
        float[] v = narrow(batch.tangent, 2 * rows);

        double[] kernelOut;
        double[] referenceOut;
        if (objective.needsTangent()) {
            kernelOut = widen(kernel.forwardTangent(params, x, v, rows), 2 * rows * shape.outputDim());
            referenceOut = reference.forwardTangent(params, x, v, rows);
        } else {
            kernelOut = widen(kernel.forward(params, x, batch.t, rows), rows * shape.outputDim());
            referenceOut = reference.forward(params, x, batch.t, rows);
        }
        double outError = relativeL2(kernelOut, referenceOut);

        double[] kernelDOut = new double[kernelOut.length];
        double[] referenceDOut = new double[referenceOut.length];
        double kernelLoss = objective.lossAndGradient(batch, kernelOut, kernelDOut);
        double referenceLoss = objective.lossAndGradient(batch, referenceOut, referenceDOut);
        double lossError = Math.abs(kernelLoss - referenceLoss) / Math.max(1e-12, Math.abs(referenceLoss));

        double[] kernelGrad = widen(kernel.backward(params, narrow(kernelDOut, kernelDOut.length)), params.length);
        double[] referenceGrad = reference.backward(referenceDOut);
        double gradError = relativeL2(kernelGrad, referenceGrad);

        System.out.printf("%-20s hidden %3d batch %3d vs %-6s: out %.1e, loss %.1e, grad %.1e%s%n", name, hidden,
                rows, type, outError, lossError, gradError, blockErrors(kernel.layout(), kernelGrad, referenceGrad));
        assertTrue(outError < TOLERANCE, name + ": outputs differ, relative L2 error " + outError);
        assertTrue(lossError < TOLERANCE, name + ": losses differ, " + kernelLoss + " vs " + referenceLoss);
        assertTrue(gradError < TOLERANCE, name + ": gradients differ, relative L2 error " + gradError
                + "; per block" + blockErrors(kernel.layout(), kernelGrad, referenceGrad));
    }

    @ParameterizedTest(name = "hidden {0}, batch {1}")
    @org.junit.jupiter.params.provider.CsvSource({"128, 128", "40, 17"})
    void forwardWithEveryRowAtOneStepMatchesReference(int hidden, int rows) {
        MlpShape shape = new MlpShape(2, hidden, 3, 2, T);
        Mlp kernel = new Mlp(shape, WORKSPACE_BATCH, false);
        ReferenceMlp reference = new ReferenceMlp(shape, DataType.DOUBLE);
        float[] params = kernel.layout().initialise(new Rng(5));
        Rng rng = new Rng(6);
        float[] x = new float[2 * rows];
        rng.fillGaussian(x, 0, x.length);
        for (int t : new int[] {0, 37, T - 1}) {
            int[] steps = new int[rows];
            java.util.Arrays.fill(steps, t);
            double[] kernelOut = widen(kernel.forward(params, x, 0, t, rows), 2 * rows);
            double error = relativeL2(kernelOut, reference.forward(params, x, steps, rows));
            assertTrue(error < TOLERANCE, "step " + t + ": relative L2 error " + error);
        }
    }

    private static Batch preparedBatch(Objective objective, int rows, Rng rng) {
        Batch batch = new Batch(rows);
        batch.rows = rows;
        float[] x0 = Dataset.of(DatasetKind.SWISS_ROLL, 0.5).sample(rows, rng);
        for (int i = 0; i < 2 * rows; i++) {
            batch.x0[i] = x0[i];
        }
        objective.prepare(batch, rng);
        return batch;
    }

    /** Relative L2 error of each parameter block, to point at the culprit when the whole vector disagrees. */
    private static String blockErrors(ParamLayout layout, double[] a, double[] b) {
        StringBuilder s = new StringBuilder();
        MlpShape shape = layout.shape;
        int h = shape.hidden();
        for (int l = 0; l < shape.layers(); l++) {
            s.append(String.format(" W%d %.0e", l, blockError(a, b, layout.weight(l), shape.layerInput(l) * h)));
            s.append(String.format(" b%d %.0e", l, blockError(a, b, layout.bias(l), h)));
            if (shape.conditional()) {
                s.append(String.format(" g%d %.0e", l, blockError(a, b, layout.gain(l), shape.timesteps() * h)));
            }
        }
        s.append(String.format(" Wout %.0e", blockError(a, b, layout.outWeight(), h * shape.outputDim())));
        s.append(String.format(" bout %.0e", blockError(a, b, layout.outBias(), shape.outputDim())));
        return s.toString();
    }

    private static double blockError(double[] a, double[] b, int from, int n) {
        return relativeL2(java.util.Arrays.copyOfRange(a, from, from + n), java.util.Arrays.copyOfRange(b, from, from + n));
    }

    /** ||a - b|| / ||b||. */
    private static double relativeL2(double[] a, double[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < b.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return Math.sqrt(diff) / Math.max(1e-30, Math.sqrt(norm));
    }

    private static float[] narrow(double[] a, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static double[] widen(float[] a, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
