package diffusionlab.cli;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.Rng;
import diffusionlab.engine.Trainer;
import diffusionlab.engine.data.Dataset;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.nn.Adam;
import diffusionlab.engine.nn.GradientClipping;
import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.nn.reference.ReferenceMlp;
import diffusionlab.engine.objective.Batch;
import diffusionlab.engine.objective.Objective;
import diffusionlab.engine.schedule.NoiseSchedule;
import org.nd4j.linalg.api.buffer.DataType;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.training.ParallelSampling;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Locale;

/**
 * {@code bench}: for each objective at the notebook's settings (T = 100, batch 128, 10,000 points,
 * width 128; dsm and ssm on their notebook batch of 10,000 unless --batch-size is given) prints training
 * steps/s, bytes allocated per step after warm-up, and the time of a 100-step reverse chain for 10,000
 * points. Median of several timed blocks, so a noisy neighbour shows up as spread, not as the figure.
 */
public final class BenchCommand {
    private BenchCommand() {
    }

    public static int run(Args args) {
        int steps = args.takeInt("steps", 3000, 10, 10_000_000);
        int warmup = args.takeInt("warmup", 1000, 0, 10_000_000);
        int chainReps = args.takeInt("chain-reps", 3, 0, 100);
        String list = args.take("objectives", "ddpm_simple,vlb_sohl,ddpm_vlb,dsm,ssm,flow_matching");
        String torch = args.take("vs-torch", null);
        int referenceSteps = args.takeInt("reference-steps", 300, 0, 1_000_000);
        if (!args.remainingAsCamelCase().isEmpty()) {
            throw new UsageException("bench", "unknown bench option(s): " + args.remainingAsCamelCase().keySet());
        }
        System.out.printf(Locale.ROOT, "# diffusion-lab bench: %d cores, %s, java %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                System.getProperty("java.version"));
        System.out.println("objective     batch  steps/s (median of 5 blocks)  min..max       alloc B/step");
        Map<String, Double> ours = new LinkedHashMap<>();
        for (String id : list.split(",")) {
            ObjectiveKind kind;
            try {
                kind = ObjectiveKind.fromId(id.strip());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--objectives", "--objectives: unknown objective '" + id + "'");
            }
            ExperimentConfig c = ExperimentConfig.notebook(kind);
            ours.put(kind.id() + "@128", benchTraining(c.toBuilder().batchSize(128).build(), steps, warmup));
            if (kind == ObjectiveKind.DSM) { // the notebook trains DSM on the full 10,000 points each step
                ours.put("dsm@10000", benchTraining(c, Math.max(50, steps / 20), Math.max(5, warmup / 50)));
            }
        }
        if (referenceSteps > 0) {
            benchReference(referenceSteps);
        }
        if (chainReps > 0) {
            ours.put("chain", benchChain(chainReps));
        }
        if (torch != null) {
            TorchAnchor.compare(torch, ours);
        }
        return 0;
    }

    private static double benchTraining(ExperimentConfig c, int steps, int warmup) {
        Trainer trainer = new Trainer(c);
        for (int i = 0; i < warmup; i++) {
            trainer.step();
        }
        int blocks = 5;
        int perBlock = Math.max(1, steps / blocks);
        List<Double> rates = new ArrayList<>();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long allocBefore = threads.getThreadAllocatedBytes(tid);
        for (int b = 0; b < blocks; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perBlock; i++) {
                trainer.step();
            }
            rates.add(perBlock / ((System.nanoTime() - t0) / 1e9));
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - allocBefore;
        List<Double> sorted = rates.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "%-12s %6d  %10.0f                  %6.0f..%-6.0f %8.1f%n",
                c.objective().id(), c.batchSize(), sorted.get(blocks / 2), sorted.get(0), sorted.get(blocks - 1),
                (double) allocated / (blocks * perBlock));
        return sorted.get(blocks / 2);
    }

    /**
     * The same ddpm_simple step (batch 128, notebook model) through the readable ND4J reference, op by op:
     * the figure behind the decision to run the fused kernel (BENCHMARKS.md).
     */
    private static void benchReference(int steps) {
        ExperimentConfig c = ExperimentConfig.notebook(ObjectiveKind.DDPM_SIMPLE);
        NoiseSchedule schedule = NoiseSchedule.of(c.schedule(), c.timesteps(), c.betaStart(), c.betaEnd());
        Objective objective = c.objective().create(schedule, c.prediction(), c.sigma());
        MlpShape shape = Trainer.modelShape(c, objective);
        ReferenceMlp reference = new ReferenceMlp(shape, DataType.FLOAT);
        float[] params = reference.layout().initialise(new Rng(1));
        Adam adam = new Adam(params.length, c.lr());
        float[] data = Dataset.of(DatasetKind.SWISS_ROLL, 0.5).sample(10_000, new Rng(2));
        Batch batch = new Batch(c.batchSize());
        Rng rng = new Rng(3);
        double[] dOut = new double[2 * c.batchSize()];
        float[] grad = new float[params.length];
        long t0 = 0;
        for (int i = 0; i < steps + 20; i++) {
            if (i == 20) {
                t0 = System.nanoTime();
            }
            batch.rows = c.batchSize();
            for (int k = 0; k < 2 * batch.rows; k++) {
                batch.x0[k] = data[(i * 2 * batch.rows + k) % data.length];
            }
            objective.prepare(batch, rng);
            double[] out = reference.forward(params, toFloat(batch.input, 2 * batch.rows), batch.t, batch.rows);
            objective.lossAndGradient(batch, out, dOut);
            double[] g = reference.backward(dOut);
            for (int k = 0; k < grad.length; k++) {
                grad[k] = (float) g[k];
            }
            GradientClipping.clip(grad, c.gradClip());
            adam.update(params, grad);
        }
        double rate = steps / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "%-12s %6d  %10.0f   (ND4J reference, op by op, FLOAT)%n", "ddpm_simple", c.batchSize(), rate);
    }

    private static float[] toFloat(double[] x, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    private static double benchChain(int reps) {
        ExperimentConfig c = ExperimentConfig.notebook(ObjectiveKind.DDPM_SIMPLE);
        Trainer trainer = new Trainer(c);
        for (int i = 0; i < 200; i++) {
            trainer.step();
        }
        ModelView view = trainer.view(true);
        SamplingConfig ancestral = SamplingConfig.defaults().withSampler(SamplerKind.ANCESTRAL, 100);
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        double best = Double.MAX_VALUE;
        try {
            for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
                List<Double> times = new ArrayList<>();
                for (int r = 0; r < reps + 1; r++) {
                    long t0 = System.nanoTime();
                    ParallelSampling.sample(ancestral, view, 10_000, new Rng(r), threads, pool);
                    if (r > 0) { // the first is warm-up
                        times.add((System.nanoTime() - t0) / 1e9);
                    }
                }
                List<Double> sorted = times.stream().sorted().toList();
                double median = sorted.get(sorted.size() / 2);
                best = Math.min(best, median);
                System.out.printf(Locale.ROOT, "reverse chain: 100 steps x 10,000 points, %d thread(s): median %.3f s "
                        + "(min %.3f, max %.3f, %d reps)%n", threads, median, sorted.get(0),
                        sorted.get(sorted.size() - 1), sorted.size());
            }
        } finally {
            pool.shutdown();
        }
        return best;
    }
}
