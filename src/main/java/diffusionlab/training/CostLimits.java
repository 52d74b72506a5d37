package diffusionlab.training;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import java.util.Locale;

/**
 * What one piece of work may cost on this server, checked from its {@link RunCost} before it is accepted: the
 * heap of one run or one on-demand sample ({@code runBytes}) and the seconds of one core that one sample or
 * one refresh of a run's pictures may take ({@code workSeconds}). Over a limit, the work is refused with an
 * {@link InvalidConfigException} naming the field that sizes the excess, and the numbers.
 */
public record CostLimits(long runBytes, double workSeconds) {
    /**
     * The share of the JVM's maximum heap that one run may take by default: two runs training at once (a
     * small dyno's two cores) still leave a fifth for the server, its viewers and one on-demand sample.
     */
    public static final double HEAP_SHARE = 0.4;
    public static final int DEFAULT_WORK_SECONDS = 60;

    public CostLimits {
        if (runBytes < 1 || !(workSeconds > 0)) {
            throw new IllegalArgumentException("cost limits must be positive");
        }
    }

    /** The defaults for a heap of {@code maxHeapBytes} ({@code Runtime.maxMemory()}). */
    public static CostLimits forHeap(long maxHeapBytes) {
        return new CostLimits((long) (HEAP_SHARE * maxHeapBytes), DEFAULT_WORK_SECONDS);
    }

    /** The run's cost, or an {@link InvalidConfigException} when its heap or a picture refresh is over the limit. */
    public RunCost requireRun(RunConfig config) {
        RunCost cost = RunCost.of(config);
        ExperimentConfig ex = config.experiment();
        String model = "hidden " + ex.hidden() + ", " + ex.layers() + " layers";
        if (cost.bytes() > runBytes) {
            RunCost.Part part = cost.largest();
            throw new InvalidConfigException(part.field(), String.format(Locale.ROOT,
                    "%s %d: this run needs ~%d MB (%s; %d MB for %s); this server allows %d MB per run",
                    part.field(), part.value(), mb(cost.bytes()), model, mb(part.bytes()), part.what(), mb(runBytes)));
        }
        if (cost.secondsPerRefresh() > workSeconds) {
            // a smaller model, or a shorter chain: blame the model when the default one would fit
            ExperimentConfig defaults = ExperimentConfig.defaults();
            RunConfig smaller = new RunConfig(config.name(), config.preset(),
                    ex.toBuilder().hidden(defaults.hidden()).layers(defaults.layers()).build(), config.sampling(),
                    config.reflowFrom());
            RunCost.Part chain = cost.pictures();
            String field = RunCost.of(smaller).secondsPerRefresh() <= workSeconds ? "hidden" : chain.field();
            throw new InvalidConfigException(field, String.format(Locale.ROOT,
                    "%s: drawing this run's pictures (%s, chains of %d steps) takes ~%.0f s of a core each time; "
                            + "this server allows %.0f s", field, model, chain.value(), cost.secondsPerRefresh(),
                    workSeconds));
        }
        return cost;
    }

    /**
     * The cost of sampling {@code n} points ({@code chunk} at a time) from a run with experiment {@code ex}, or an
     * {@link InvalidConfigException} naming {@code n} when fewer points would fit, else the chain's length
     * ({@code sampleSteps}, or {@code sampler} for the ancestral chain of T steps).
     */
    public RunCost.Sample requireSample(ExperimentConfig ex, SamplingConfig sampling, int n, int fewer, int chunk) {
        RunCost.Sample cost = RunCost.sample(ex, sampling, n, chunk);
        boolean heap = cost.bytes() > runBytes;
        if (!heap && cost.seconds() <= workSeconds) {
            return cost;
        }
        RunCost.Sample fewerPoints = RunCost.sample(ex, sampling, Math.min(n, fewer), chunk);
        boolean fewerFit = fewerPoints.bytes() <= runBytes && fewerPoints.seconds() <= workSeconds;
        SamplerKind sampler = sampling.effectiveSampler(ex.objective());
        String field = fewerFit && n > fewer ? "n" : sampler == SamplerKind.ANCESTRAL ? "sampler" : "sampleSteps";
        String what = String.format(Locale.ROOT, "%s: %d points through %d %s steps", field, n,
                cost.chainLength(), sampler.id());
        throw new InvalidConfigException(field, heap
                ? String.format(Locale.ROOT, "%s need ~%d MB; this server allows %d MB per sample", what,
                        mb(cost.bytes()), mb(runBytes))
                : String.format(Locale.ROOT, "%s take ~%.0f s of a core; this server allows %.0f s per sample", what,
                        cost.seconds(), workSeconds));
    }

    private static long mb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
