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

    /** The pairs of the stored parent run named by {@code --reflow-from}, or a usage error saying why there are none. */
    private static Coupling reflowPairs(RunConfig config) {
        try (RunStore store = JdbcRunStore.open(StoreSettings.fromEnvironment(System.getenv()))) {
            Reflow.Parent parent = Reflow.Parent.load(store, config.reflowFrom());
            return Reflow.pairs(parent.config(), parent.weights(), config.experiment(), Cancellation.NEVER);
        } catch (IllegalArgumentException | StoreException e) {
            throw new UsageException("--reflow-from", "--reflow-from: " + e.getMessage());
        }
    }

    public static int run(Args args) {
        String samplesPath = args.take("samples", null);
        if (samplesPath == null) {
            throw new UsageException("--samples", "--samples FILE is required (where to write the generated points)");
        }
        int nSamples = args.takeInt("n-samples", 10_000, 1, 1_000_000);
        int every = args.takeInt("log-every", 1000, 1, Integer.MAX_VALUE);
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
        ExperimentConfig ex = config.experiment();
        Trainer trainer = new Trainer(ex, config.reflowFrom() == null ? null : reflowPairs(config));
        if (!trainer.schedule().reachesNoise()) {
            System.err.printf(Locale.ROOT, "note: alphaBar_T = %.3f, so q(x_T) is far from N(0, I); "
                    + "the reverse chain starts from the wrong distribution%n", trainer.schedule().alphaBarT());
        }
        long start = System.nanoTime();
        trainer.run(ex.steps(), every, (step, loss) -> {
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf(Locale.ROOT, "step %d/%d  loss %.5f  %.0f steps/s%n", step, ex.steps(), loss, step / seconds);
            return true;
        });
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        ModelView view = trainer.view(config.sampling().ema());
        long s0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        Chain chain;
        try {
            chain = ParallelSampling.sample(config.sampling(), view, nSamples, new Rng(ex.seed() + 7919),
                    SAMPLING_SLICES, pool);
        } finally {
            pool.shutdown();
        }
        double sampleSeconds = (System.nanoTime() - s0) / 1e9;
        float[] samples = chain.last();
        try {
            Files.writeString(Path.of(samplesPath), PointsCsv.format(samples), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("error: --samples: cannot write " + samplesPath + " (" + e.getMessage() + ")");
            return 2;
        }
        Rng heldOut = new Rng(ex.seed() + 104729);
        float[] fresh = trainer.dataset().sample(nSamples, heldOut);
        float[] fresh2 = trainer.dataset().sample(nSamples, heldOut);
        double sw = SlicedWasserstein.distance(samples, fresh, SlicedWasserstein.DEFAULT_PROJECTIONS, new Rng(5));
        double floor = SlicedWasserstein.distance(fresh2, fresh, SlicedWasserstein.DEFAULT_PROJECTIONS, new Rng(5));
        System.err.printf(Locale.ROOT, "trained %d steps in %.1f s (%.0f steps/s); sampled %d points with %s (%d steps, "
                        + "%d network evaluations) in %.2f s%n",
                ex.steps(), trainSeconds, ex.steps() / trainSeconds, nSamples,
                config.sampling().effectiveSampler(view).id(), config.sampling().chainSteps(ex.objective(), ex.timesteps()),
                config.sampling().evaluations(ex.objective(), ex.timesteps()), sampleSeconds);
        System.err.printf(Locale.ROOT, "sliced Wasserstein to fresh data: %.4f (two fresh data sets: %.4f)%n", sw, floor);
        return 0;
    }
}
