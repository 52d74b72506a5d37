package diffusionlab.engine.nn.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.Rng;
import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.nn.ParamLayout;
import diffusionlab.engine.objective.Batch;
import diffusionlab.engine.objective.Objective;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.TestBatches;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.engine.schedule.NoiseSchedule;
import diffusionlab.engine.schedule.ScheduleKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Central finite differences in float64: the gradient an objective's dL/dOut gets from
 * {@link ReferenceMlp#backward} must equal (L(p + h e_i) - L(p - h e_i)) / 2h for every objective and
 * model kind (conditional with 2 or 4 outputs, the unconditional score MLP with its tangent path).
 */
class ReferenceMlpGradientCheckTest {
    private static final int T = 5;
    private static final int HIDDEN = 8;
    private static final int ROWS = 6;
    private static final double STEP = 1e-5;
    private static final double TOLERANCE = 1e-5;
    /** Gradients below this size are compared absolutely (relative error of noise is meaningless). */
    private static final double FLOOR = 1e-6;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int layers : new int[] {2, 3}) {
            for (Prediction prediction : Prediction.values()) {
                cases.add(Arguments.of("ddpm_simple/" + prediction.id(), ObjectiveKind.DDPM_SIMPLE, prediction, layers));
            }
            for (ObjectiveKind kind : new ObjectiveKind[] {ObjectiveKind.DSM, ObjectiveKind.SSM,
                    ObjectiveKind.VLB_SOHL, ObjectiveKind.DDPM_VLB, ObjectiveKind.FLOW_MATCHING}) {
                cases.add(Arguments.of(kind.id(), kind, Prediction.EPSILON, layers));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {3} layers")
    @MethodSource("cases")
    void analyticGradientMatchesCentralDifferences(String name, ObjectiveKind kind, Prediction prediction, int layers) {
        NoiseSchedule schedule = NoiseSchedule.of(ScheduleKind.SIGMOID, T, 1e-4, 0.05);
        Objective objective = kind.create(schedule, prediction, 0.1);
        MlpShape shape = new MlpShape(2, HIDDEN, layers, objective.outputDim(), objective.conditional() ? T : 0);
        ParamLayout layout = new ParamLayout(shape);
        ReferenceMlp model = new ReferenceMlp(shape, DataType.DOUBLE);

        double[] params = widen(layout.initialise(new Rng(11 + layers)));
        Batch batch = preparedBatch(objective, kind);

        // Analytic: dL/dOut from the objective, pushed through the manual backward pass.
        double[] out = evaluate(model, objective, params, batch);
        double[] dOut = new double[out.length];
        objective.lossAndGradient(batch, out, dOut);
        double[] analytic = model.backward(dOut);

        Rng pick = new Rng(7 * layers + kind.ordinal());
        double worst = 0;
        String worstAt = "";
        for (int i : indices(layout, batch, objective.conditional(), pick)) {
            double saved = params[i];
            params[i] = saved + STEP;
            double plus = loss(model, objective, params, batch);
            params[i] = saved - STEP;
            double minus = loss(model, objective, params, batch);
            params[i] = saved;
            double numeric = (plus - minus) / (2 * STEP);
            double error = Math.abs(analytic[i] - numeric)
                    / Math.max(FLOOR, Math.max(Math.abs(analytic[i]), Math.abs(numeric)));
            if (error > worst) {
                worst = error;
                worstAt = "param " + i + ": analytic " + analytic[i] + ", numeric " + numeric;
            }
        }
        System.out.printf("gradient check %-22s layers %d: max relative error %.2e%n", name, layers, worst);
        assertTrue(worst < TOLERANCE, name + ": max relative error " + worst + " at " + worstAt);
    }

    /**
     * A batch prepared once with a fixed seed; for conditional objectives the first seed whose steps
     * include t = 0 (the decoder term of the DDPM bound) and t = T - 1.
     */
    private static Batch preparedBatch(Objective objective, ObjectiveKind kind) {
        return TestBatches.first(objective, ROWS, batch -> !objective.conditional()
                || (TestBatches.hasStep(batch, 0) && TestBatches.hasStep(batch, T - 1)));
    }

    /**
     * About 40 parameter indices covering every block: W_l, b_l, gamma_l (rows of steps in the batch, and one
     * row of a step that is not, whose gradient must be 0), W_out and b_out, then random ones anywhere.
     */
    private static Set<Integer> indices(ParamLayout layout, Batch batch, boolean conditional, Rng rng) {
        MlpShape s = layout.shape;
        int h = s.hidden();
        Set<Integer> picked = new LinkedHashSet<>();
        for (int l = 0; l < s.layers(); l++) {
            for (int k = 0; k < 3; k++) {
                picked.add(layout.weight(l) + rng.nextInt(s.layerInput(l) * h));
            }
            for (int k = 0; k < 2; k++) {
                picked.add(layout.bias(l) + rng.nextInt(h));
            }
            if (conditional) {
                for (int k = 0; k < 3; k++) {
                    int t = batch.t[rng.nextInt(batch.rows)];
                    picked.add(layout.gain(l) + t * h + rng.nextInt(h));
                }
                for (int t = 0; t < s.timesteps(); t++) {
                    if (!contains(batch.t, t)) {
                        picked.add(layout.gain(l) + t * h + rng.nextInt(h));
                        break;
                    }
                }
            }
        }
        for (int k = 0; k < 4; k++) {
            picked.add(layout.outWeight() + rng.nextInt(h * s.outputDim()));
        }
        for (int o = 0; o < s.outputDim(); o++) {
            picked.add(layout.outBias() + o);
        }
        while (picked.size() < 40) {
            picked.add(rng.nextInt(layout.size()));
        }
        return picked;
    }

    private static double loss(ReferenceMlp model, Objective objective, double[] params, Batch batch) {
        double[] out = evaluate(model, objective, params, batch);
        return objective.lossAndGradient(batch, out, new double[out.length]);
    }

    private static double[] evaluate(ReferenceMlp model, Objective objective, double[] params, Batch batch) {
        if (objective.needsTangent()) {
            return model.forwardTangent(params, batch.input, batch.tangent, batch.rows);
        }
        return model.forward(params, batch.input, batch.t, batch.rows);
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
