package diffusionlab.training;

import static diffusionlab.training.ConfigField.Group.DATA;
import static diffusionlab.training.ConfigField.Group.MODEL;
import static diffusionlab.training.ConfigField.Group.OBJECTIVE;
import static diffusionlab.training.ConfigField.Group.SAMPLING;
import static diffusionlab.training.ConfigField.Group.SCHEDULE;
import static diffusionlab.training.ConfigField.Group.TRAINING;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.nn.LrSchedule;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.engine.sample.DdimSampler;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.engine.sample.VarianceType;
import diffusionlab.engine.schedule.ScheduleKind;
import diffusionlab.training.ConfigField.Draft;
import diffusionlab.training.ConfigField.Group;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every field of a run's config, once: {@link ConfigParser} reads them, {@link ConfigWriter} writes them,
 * the new-run form shows them and README.md's "Options" lists them (a test checks it). Defaults are the
 * preset's. The rules that tie fields together (beta_1 <= beta_T, a batch fits in the data, usable points)
 * are {@link ExperimentConfig#validate}'s, and the two defaults that depend on other fields are
 * {@link ConfigParser}'s.
 */
public final class ConfigFields {
    private static final FieldType.WholeNumber WHOLE = new FieldType.WholeNumber();
    private static final FieldType.LongNumber LONG = new FieldType.LongNumber();
    private static final FieldType.Decimal NUMBER = new FieldType.Decimal();
    private static final String LANGEVIN_USED = "sampler:langevin;objective:dsm,ssm";

    public static final ConfigField<String> PRESET = field("preset", DATA,
            new FieldType.Choice<>(List.copyOf(Presets.all().keySet()), Function.identity(), null),
            RunConfig::preset, (d, v) -> d.preset = v).notInForm();

    /** A reflow's parent: the form offers the finished flows (web/pages/NewRunForm). */
    public static final ConfigField<String> REFLOW_FROM = field("reflowFrom", TRAINING, new FieldType.Text(32),
            RunConfig::reflowFrom, (d, v) -> d.reflowFrom = v)
            .defaultText("none").when("preset:" + Presets.all().values().stream().filter(Presets.Preset::needsParent)
                    .map(Presets.Preset::id).collect(Collectors.joining(",")))
            .form("Flow to straighten", "parent", "Reflow (Liu et al. 2023): a finished flow_matching run whose ODE's "
                    + "(noise, sample) pairs this run trains on, on its data; its paths come out straighter and one Euler "
                    + "step samples well.");

    public static final List<ConfigField<?>> ALL = List.of(
            PRESET,
            field("name", DATA, new FieldType.Text(RunConfig.MAX_NAME), RunConfig::name, (d, v) -> d.name = v)
                    .defaultText("the preset's label")
                    .form("Run name", "", "Shown on the dashboard and in the list of runs."),
            field("dataset", DATA, FieldType.Choice.of(DatasetKind.values(), DatasetKind::id),
                    experiment(ExperimentConfig::dataset), (d, v) -> d.experiment.dataset(v))
                    .form("Dataset", "q(x₀)", "The distribution to learn. swiss_roll is the notebook's (sklearn's roll, "
                            + "columns x and z, divided by 10); points are your own: draw them or upload a CSV below."),
            field("datasetSize", DATA, WHOLE, experiment(ExperimentConfig::datasetSize), (d, v) -> d.experiment.datasetSize(v))
                    .range(FieldRange.between(10, 100_000)).when("dataset:!points")
                    .form("Training points", "N", "How many points x₀⁽¹⁾ … x₀⁽ᴺ⁾ are drawn once and trained on."),
            field("datasetNoise", DATA, NUMBER, experiment(ExperimentConfig::datasetNoise), (d, v) -> d.experiment.datasetNoise(v))
                    .range(FieldRange.between(0, 2)).defaultText("the dataset's own")
                    .form("Dataset noise", "std", "Std of the Gaussian noise added to every coordinate. Empty: the "
                            + "dataset's own (0.5 for the swiss roll, none for your points)."),
            field("points", DATA, new FieldType.Points(), experiment(ExperimentConfig::points), (d, v) -> d.experiment.points(v))
                    .defaultText("none").notInForm(),

            field("schedule", SCHEDULE, FieldType.Choice.of(ScheduleKind.values(), ScheduleKind::id),
                    experiment(ExperimentConfig::schedule), (d, v) -> d.experiment.schedule(v))
                    .form("Schedule", "β_t", "How β_t grows with t: linear, quad (√β evenly spaced, squared), sigmoid "
                            + "(the notebook's) or cosine (Nichol & Dhariwal: ᾱ_t = f(t)/f(0), ignores β₁ and β_T)."),
            field("timesteps", SCHEDULE, WHOLE, experiment(ExperimentConfig::timesteps), (d, v) -> d.experiment.timesteps(v))
                    .range(FieldRange.between(2, 1000))
                    .form("Diffusion steps", "T", "x₀ → x₁ → … → x_T; the reverse chain takes T steps back."),
            field("betaStart", SCHEDULE, NUMBER, experiment(ExperimentConfig::betaStart), (d, v) -> d.experiment.betaStart(v))
                    .range(FieldRange.aboveAtMost(0, 0.5)).when("schedule:!cosine")
                    .form("First beta", "β₁", "Variance added at the first step: q(x₁ | x₀) = N(√(1 − β₁) x₀, β₁ I)."),
            field("betaEnd", SCHEDULE, NUMBER, experiment(ExperimentConfig::betaEnd), (d, v) -> d.experiment.betaEnd(v))
                    .range(FieldRange.aboveAtMost(0, 0.999)).when("schedule:!cosine")
                    .form("Last beta", "β_T", "Variance added at the last step. ᾱ_T = ∏ (1 − β_t) must be near 0 for "
                            + "x_T ≈ N(0, I)."),

            field("hidden", MODEL, WHOLE, experiment(ExperimentConfig::hidden), (d, v) -> d.experiment.hidden(v))
                    .range(FieldRange.between(4, 512))
                    .form("Width", "hidden", "Units of each hidden layer (the notebook: 128)."),
            field("layers", MODEL, WHOLE, experiment(ExperimentConfig::layers), (d, v) -> d.experiment.layers(v))
                    .range(FieldRange.between(1, 6))
                    .form("Hidden layers", "layers", "ConditionalLinear layers, each scaled by a learned gain γ_t per "
                            + "step, then softplus (score models: plain Linear)."),
            field("prediction", MODEL, FieldType.Choice.of(Prediction.values(), Prediction::id),
                    experiment(ExperimentConfig::prediction), (d, v) -> d.experiment.prediction(v))
                    .when("objective:ddpm_simple")
                    .form("Network predicts", "ε, x₀ or v", "For ddpm_simple: the noise ε (Ho et al.), the clean x₀, "
                            + "or v = √ᾱ_t ε − √(1 − ᾱ_t) x₀ (Salimans & Ho)."),

            field("objective", OBJECTIVE, FieldType.Choice.of(ObjectiveKind.values(), ObjectiveKind::id),
                    experiment(ExperimentConfig::objective), (d, v) -> d.experiment.objective(v))
                    .form("Objective", "L", "dsm: denoising score matching ‖s_θ(x̃) + (x̃ − x)/σ²‖²; ssm: sliced score "
                            + "matching vᵀ∇s_θ v + ½(vᵀs_θ)²; vlb_sohl: Sohl-Dickstein's bound (bits); ddpm_vlb: DDPM's "
                            + "sum of KL(q(x_{t−1} | x_t, x₀) ‖ p_θ(x_{t−1} | x_t)); ddpm_simple: ‖ε − ε_θ(x_t, t)‖²; "
                            + "flow_matching: ‖v_θ(x_t, t) − (ε − x₀)‖² on x_t = (1 − t) x₀ + t ε, t ∈ [0, 1] in T bins "
                            + "(the schedule's β are not used)."),
            field("sigma", OBJECTIVE, NUMBER, experiment(ExperimentConfig::sigma), (d, v) -> d.experiment.sigma(v))
                    .range(FieldRange.aboveAtMost(0, 10)).when("objective:dsm")
                    .form("Noise level", "σ", "dsm only: x̃ = x + σ z. The notebook uses σ = 0.01, which only learns "
                            + "the score right next to the data."),

            field("steps", TRAINING, LONG, experiment(ExperimentConfig::steps), (d, v) -> d.experiment.steps(v))
                    .range(FieldRange.between(1, 2_000_000))
                    .form("Training steps", "steps", "Optimiser steps (the notebook: 1000 epochs of 10,000 / 128 = "
                            + "79,000)."),
            field("batchSize", TRAINING, WHOLE, experiment(ExperimentConfig::batchSize), (d, v) -> d.experiment.batchSize(v))
                    .range(FieldRange.between(2, 10_000))
                    .form("Batch size", "B", "Points per step, at most the number of training points."),
            field("lr", TRAINING, NUMBER, experiment(ExperimentConfig::lr), (d, v) -> d.experiment.lr(v))
                    .range(FieldRange.aboveAtMost(0, 1))
                    .form("Learning rate", "η", "Adam's step size (the notebook: 1e-3)."),
            field("lrSchedule", TRAINING, FieldType.Choice.of(LrSchedule.values(), LrSchedule::id),
                    experiment(ExperimentConfig::lrSchedule), (d, v) -> d.experiment.lrSchedule(v))
                    .form("Learning-rate schedule", "η_k", "constant (the notebook), or cosine: a short warm-up, then "
                            + "η·½(1 + cos πk/K) down to 0 at the last step K, so a short run settles as a long one does."),
            field("gradClip", TRAINING, NUMBER, experiment(ExperimentConfig::gradClip), (d, v) -> d.experiment.gradClip(v))
                    .range(FieldRange.between(0, 1000))
                    .form("Gradient clipping", "‖∇θ‖ ≤", "Rescale the gradient to at most this norm; 0 turns clipping off."),
            field("emaDecay", TRAINING, NUMBER, experiment(ExperimentConfig::emaDecay), (d, v) -> d.experiment.emaDecay(v))
                    .range(FieldRange.atLeastBelow(0, 1))
                    .form("EMA decay", "μ", "θ_EMA ← μ θ_EMA + (1 − μ) θ after every step; the pictures use θ_EMA. "
                            + "0 turns it off."),
            field("seed", TRAINING, LONG, experiment(ExperimentConfig::seed), (d, v) -> d.experiment.seed(v))
                    .range(FieldRange.between(0, 1L << 53))
                    .form("Seed", "seed", "Same seed, same data, same initial weights, same run."),
            REFLOW_FROM,

            field("sampler", SAMPLING, FieldType.Choice.orNone(SamplerKind.values(), SamplerKind::id, "the model's own"),
                    sampling(SamplingConfig::sampler), (d, v) -> d.sampling.sampler(v))
                    .form("Sampler", "", "Empty: the model's own (ancestral for diffusion models, Langevin for score "
                            + "models, Euler for flow models). Ancestral, DDIM and DPM-Solver++(2M) (a second-order "
                            + "solver of the probability-flow ODE) need a diffusion model, Euler and Heun "
                            + "(the ODE dx/dt = v_θ from t = 1 to 0) a flow model; Langevin works with any score."),
            field("sampleSteps", SAMPLING, WHOLE, sampling(SamplingConfig::sampleSteps), (d, v) -> d.sampling.sampleSteps(v))
                    .range(FieldRange.between(1, 5000))
                    .when("sampler:ddim,dpm_solver_2m,langevin,euler,heun;objective:dsm,ssm,flow_matching")
                    .defaultText(SamplingConfig.DDIM_STEPS + " (DDIM), " + SamplingConfig.DPM_SOLVER_STEPS
                            + " (DPM-Solver++), " + SamplingConfig.LANGEVIN_STEPS + " (Langevin), "
                            + SamplingConfig.EULER_STEPS + " (Euler), " + SamplingConfig.HEUN_STEPS + " (Heun)")
                    .form("Sampler steps", "S, K or N", "DDIM: S steps over a subsequence τ of 1 … T (default "
                            + SamplingConfig.DDIM_STEPS + "); DPM-Solver++(2M): S steps evenly spaced in log-SNR (default "
                            + SamplingConfig.DPM_SOLVER_STEPS + "). Langevin: K iterations (default " + SamplingConfig.LANGEVIN_STEPS
                            + ", enough for the chain to cross the data). Euler, Heun: N steps of the ODE (default "
                            + SamplingConfig.EULER_STEPS + " and " + SamplingConfig.HEUN_STEPS + "; Heun evaluates the "
                            + "model 2N − 1 times). The ancestral chain always takes T."),
            field("eta", SAMPLING, NUMBER, sampling(SamplingConfig::eta), (d, v) -> d.sampling.eta(v))
                    .range(FieldRange.between(0, 1)).when("sampler:ddim")
                    .form("DDIM eta", "η", "0: deterministic DDIM; 1: the ancestral chain's posterior variance."),
            field("spacing", SAMPLING, FieldType.Choice.of(DdimSampler.Spacing.values(), DdimSampler.Spacing::id),
                    sampling(SamplingConfig::spacing), (d, v) -> d.sampling.spacing(v))
                    .when("sampler:ddim")
                    .form("DDIM spacing", "τ", "How τ spreads over 1 … T: evenly, or quadratically (denser near the data)."),
            field("variance", SAMPLING, FieldType.Choice.of(VarianceType.values(), VarianceType::id),
                    sampling(SamplingConfig::variance), (d, v) -> d.sampling.variance(v))
                    .when("sampler:!ddim,dpm_solver_2m,langevin,euler,heun")
                    .form("Reverse variance", "σ_t²", "Ancestral step noise: β_t (the notebook) or "
                            + "β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t)."),
            field("langevinStepSize", SAMPLING, NUMBER, sampling(SamplingConfig::langevinStepSize),
                    (d, v) -> d.sampling.langevinStepSize(v))
                    .range(FieldRange.aboveAtMost(0, 1)).when(LANGEVIN_USED)
                    .form("Langevin step", "ε", "x_{k+1} = x_k + ε/2 ∇ log p(x_k) + √ε z_k (the notebook: 1e-3)."),
            field("langevinDecay", SAMPLING, NUMBER, sampling(SamplingConfig::langevinDecay),
                    (d, v) -> d.sampling.langevinDecay(v))
                    .range(FieldRange.aboveAtMost(0, 1)).when(LANGEVIN_USED)
                    .form("Langevin decay", "ε ← d ε", "The step size shrinks by this factor each iteration."),
            field("temperature", SAMPLING, NUMBER, sampling(SamplingConfig::temperature), (d, v) -> d.sampling.temperature(v))
                    .range(FieldRange.between(0, 10)).when(LANGEVIN_USED)
                    .form("Temperature", "τ", "Scales the noise √ε z_k; 0 is plain gradient ascent on log p."),
            field("weights", SAMPLING, new FieldType.Choice<>(List.of(true, false), ema -> ema ? "ema" : "raw", null),
                    sampling(SamplingConfig::ema), (d, v) -> d.sampling.ema(v))
                    .form("Weights", "θ or θ_EMA", "Sample from the exponential moving average θ_EMA or the raw weights θ."));

    private ConfigFields() {
    }

    /** The field called {@code name}, or null. */
    public static ConfigField<?> named(String name) {
        for (ConfigField<?> f : ALL) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private static <T> Function<RunConfig, T> experiment(Function<ExperimentConfig, T> get) {
        return c -> get.apply(c.experiment());
    }

    private static <T> Function<RunConfig, T> sampling(Function<SamplingConfig, T> get) {
        return c -> get.apply(c.sampling());
    }

    private static <T> Row<T> field(String name, Group group, FieldType<T> type, Function<RunConfig, T> get,
                                    BiConsumer<Draft, T> set) {
        return new Row<>(name, group, type, get, set);
    }

    /** A row being written: the optional parts, then {@link #form} or {@link #notInForm}. */
    private static final class Row<T> {
        private final String name;
        private final Group group;
        private final FieldType<T> type;
        private final Function<RunConfig, T> get;
        private final BiConsumer<Draft, T> set;
        private FieldRange range;
        private String when;
        private String defaultText;

        Row(String name, Group group, FieldType<T> type, Function<RunConfig, T> get, BiConsumer<Draft, T> set) {
            this.name = name;
            this.group = group;
            this.type = type;
            this.get = get;
            this.set = set;
        }

        Row<T> range(FieldRange r) {
            range = r;
            return this;
        }

        /** When the field matters, in the syntax of {@link ConfigField#matters}. */
        Row<T> when(String condition) {
            when = condition;
            return this;
        }

        Row<T> defaultText(String text) {
            defaultText = text;
            return this;
        }

        ConfigField<T> form(String label, String symbol, String help) {
            return new ConfigField<>(name, group, type, range, when, label, symbol, help, defaultText, get, set);
        }

        ConfigField<T> notInForm() {
            return form(null, null, null);
        }
    }
}
