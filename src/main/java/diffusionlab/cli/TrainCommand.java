package diffusionlab.cli;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.Rng;
import diffusionlab.engine.Trainer;
import diffusionlab.engine.metric.SlicedWasserstein;
import diffusionlab.engine.objective.Coupling;
import diffusionlab.engine.sample.Chain;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.training.ConfigParser;
import diffusionlab.training.ParallelSampling;
import diffusionlab.training.PointsCsv;
import diffusionlab.training.Reflow;
import diffusionlab.training.RunConfig;
import diffusionlab.training.store.JdbcRunStore;
import diffusionlab.training.store.RunStore;
import diffusionlab.training.store.StoreException;
import diffusionlab.training.store.StoreSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code train}: trains one model from the command line and writes its samples as CSV (header x,y). With
 * {@code --reflow-from ID} it trains a reflow of that finished flow_matching run of the server's store
 * ({@code DATA_DIR} or {@code DATABASE_URL}, as {@code serve} reads them) on its (noise, sample) pairs.
 */
public final class TrainCommand {
    /** Independent chains the samples are cut into (fixed, so the output does not depend on the core count). */
    static final int SAMPLING_SLICES = 2;

    private TrainCommand() {
    }

    /** The stored parent run named by {@code --reflow-from}, or a usage error saying why there is none. */
    private static Reflow.Parent reflowParent(RunConfig config) {
        try (RunStore store = JdbcRunStore.open(StoreSettings.fromEnvironment(System.getenv()))) {
            return Reflow.Parent.load(store, config.reflowFrom());
        } catch (IllegalArgumentException | StoreException e) {
            throw new UsageException("--reflow-from", "--reflow-from: " + e.getMessage());
        }
    }

    /** Samples of the model as it stands, their distance to fresh data and the distance of two fresh data sets. */
    private record Evaluation(float[] samples, double distance, double floor) {
    }

    private static void train(Trainer trainer, long steps, int every, long start) {
        long total = trainer.config().steps();
        trainer.run(steps, every, (step, loss) -> {
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf(Locale.ROOT, "step %d/%d  loss %.5f  %.0f steps/s%n", step, total, loss, step / seconds);
            return true;
        });
    }

    private static Evaluation evaluate(Trainer trainer, RunConfig config, int nSamples, ExecutorService pool) {
        ExperimentConfig ex = config.experiment();
        ModelView view = trainer.view(config.sampling().ema());
        Chain chain = ParallelSampling.sample(config.sampling(), view, nSamples, new Rng(ex.seed() + 7919),
                SAMPLING_SLICES, pool);
        float[] samples = chain.last();
        Rng heldOut = new Rng(ex.seed() + 104729);
        float[] fresh = trainer.dataset().sample(nSamples, heldOut);
        float[] fresh2 = trainer.dataset().sample(nSamples, heldOut);
        return new Evaluation(samples,
                SlicedWasserstein.distance(samples, fresh, SlicedWasserstein.DEFAULT_PROJECTIONS, new Rng(5)),
                SlicedWasserstein.distance(fresh2, fresh, SlicedWasserstein.DEFAULT_PROJECTIONS, new Rng(5)));
    }

    /** {@code --eval-at 8000,16000}: steps before the last at which to measure quality, in order. */
    static long[] evalSteps(String list, long steps) {
        if (list.isBlank()) {
            return new long[0];
        }
        long[] at;
        try {
            at = java.util.Arrays.stream(list.split(",")).map(String::strip).mapToLong(Long::parseLong).sorted()
                    .distinct().toArray();
        } catch (NumberFormatException e) {
            throw new UsageException("--eval-at", "--eval-at: a comma-separated list of steps, e.g. 8000,16000");
        }
        if (at[0] < 1 || at[at.length - 1] >= steps) {
            throw new UsageException("--eval-at", "--eval-at: every step must be in [1, " + (steps - 1)
                    + "] (the last step is always evaluated)");
        }
        return at;
    }

    public static int run(Args args) {
        String samplesPath = args.take("samples", null);
        if (samplesPath == null) {
            throw new UsageException("--samples", "--samples FILE is required (where to write the generated points)");
        }
        int nSamples = args.takeInt("n-samples", 10_000, 1, 1_000_000);
        int every = args.takeInt("log-every", 1000, 1, Integer.MAX_VALUE);
        String evalList = args.take("eval-at", "");
        Map<String, Object> fields = args.remainingAsCamelCase();
        if (fields.get("points") instanceof String file) {
            try {
                fields.put("points", Files.readString(Path.of(file), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UsageException("--points", "--points: cannot read " + file + " (" + e.getMessage() + ")");
            }
        }
        RunConfig config;
        try {
            config = ConfigParser.parse(fields);
        } catch (InvalidConfigException e) {
            throw new UsageException("--" + Args.kebab(e.field()), "--" + Args.kebab(e.field()) + ": " + e.getMessage());
        }
        Reflow.Parent parent = config.reflowFrom() == null ? null : reflowParent(config);
        if (parent != null) {
            config = Reflow.onParentsData(config, parent.config()); // as the server does
        }
        ExperimentConfig ex = config.experiment();
        long[] evalAt = evalSteps(evalList, ex.steps());
        Coupling pairs = parent == null ? null : Reflow.pairs(parent, ex, Cancellation.NEVER);
        Trainer trainer = new Trainer(ex, pairs);
        if (!trainer.schedule().reachesNoise()) {
            System.err.printf(Locale.ROOT, "note: alphaBar_T = %.3f, so q(x_T) is far from N(0, I); "
                    + "the reverse chain starts from the wrong distribution%n", trainer.schedule().alphaBarT());
        }
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        long evaluating = 0;
        try {
            for (long at : evalAt) { // the quality on the way, from the weights at that step
                train(trainer, at - trainer.steps(), every, start);
                long e0 = System.nanoTime();
                Evaluation e = evaluate(trainer, config, nSamples, pool);
                evaluating += System.nanoTime() - e0;
                System.err.printf(Locale.ROOT, "at step %d: sliced Wasserstein to fresh data %.4f (two fresh data sets: "
                        + "%.4f)%n", at, e.distance(), e.floor());
            }
            train(trainer, ex.steps() - trainer.steps(), every, start);
            double trainSeconds = (System.nanoTime() - start - evaluating) / 1e9;
            long s0 = System.nanoTime();
            Evaluation e = evaluate(trainer, config, nSamples, pool);
            double sampleSeconds = (System.nanoTime() - s0) / 1e9;
            try {
                Files.writeString(Path.of(samplesPath), PointsCsv.format(e.samples()), StandardCharsets.UTF_8);
            } catch (IOException io) {
                System.err.println("error: --samples: cannot write " + samplesPath + " (" + io.getMessage() + ")");
                return 2;
            }
            ModelView view = trainer.view(config.sampling().ema());
            System.err.printf(Locale.ROOT, "trained %d steps in %.1f s (%.0f steps/s); sampled %d points with %s (%d "
                            + "steps, %d network evaluations) in %.2f s%n",
                    ex.steps(), trainSeconds, ex.steps() / trainSeconds, nSamples,
                    config.sampling().effectiveSampler(view).id(),
                    config.sampling().chainSteps(ex.objective(), ex.timesteps()),
                    config.sampling().evaluations(ex.objective(), ex.timesteps()), sampleSeconds);
            System.err.printf(Locale.ROOT, "sliced Wasserstein to fresh data: %.4f (two fresh data sets: %.4f)%n",
                    e.distance(), e.floor());
        } finally {
            pool.shutdown();
        }
        return 0;
    }
}
