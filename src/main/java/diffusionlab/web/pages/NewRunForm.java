package diffusionlab.web.pages;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.engine.sample.DdimSampler;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.engine.sample.VarianceType;
import diffusionlab.engine.schedule.ScheduleKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every engine option as a form field, grouped as the notebook introduces them (data, noise schedule,
 * model, objective, training, sampling), with help in the notebook's notation and the values of a config.
 */
public final class NewRunForm {
    private NewRunForm() {
    }

    /** The form filled with {@code values} (a config as {@link diffusionlab.web.json.ConfigJson} writes it). */
    public static List<FieldGroup> groups(Map<String, Object> values) {
        Filler f = new Filler(values);
        return List.of(
                new FieldGroup("data", "Data", "x₀ ~ q(x₀)", List.of(
                        f.text("name", "Run name", "", "Shown on the dashboard and in the list of runs."),
                        f.select("dataset", "Dataset", "q(x₀)", DatasetKind.values(), DatasetKind::id,
                                "The distribution to learn. swiss_roll is the notebook's (sklearn's roll, columns x "
                                        + "and z, divided by 10); points are your own: draw them or upload a CSV below."),
                        f.number("datasetSize", "Training points", "N", "10", String.valueOf(ExperimentConfig.MAX_DATASET),
                                "1", "dataset:!points", "How many points x₀⁽¹⁾ … x₀⁽ᴺ⁾ are drawn once and trained on."),
                        f.number("datasetNoise", "Dataset noise", "std", "0", "2", "any", null,
                                "Std of the Gaussian noise added to every coordinate. Empty: the dataset's own "
                                        + "(0.5 for the swiss roll, none for your points)."))),
                new FieldGroup("schedule", "Noise schedule", "β₁ … β_T", List.of(
                        f.select("schedule", "Schedule", "β_t", ScheduleKind.values(), ScheduleKind::id,
                                "How β_t grows with t: linear, quad (√β evenly spaced, squared), sigmoid (the notebook's) "
                                        + "or cosine (Nichol & Dhariwal: ᾱ_t = f(t)/f(0), ignores β₁ and β_T)."),
                        f.number("timesteps", "Diffusion steps", "T", "2", String.valueOf(ExperimentConfig.MAX_TIMESTEPS),
                                "1", null, "x₀ → x₁ → … → x_T; the reverse chain takes T steps back."),
                        f.number("betaStart", "First beta", "β₁", "0", "0.5", "any", "schedule:!cosine",
                                "Variance added at the first step: q(x₁ | x₀) = N(√(1 − β₁) x₀, β₁ I)."),
                        f.number("betaEnd", "Last beta", "β_T", "0", "0.999", "any", "schedule:!cosine",
                                "Variance added at the last step. ᾱ_T = ∏ (1 − β_t) must be near 0 for x_T ≈ N(0, I)."))),
                new FieldGroup("model", "Model", "ε_θ(x_t, t)", List.of(
                        f.number("hidden", "Width", "hidden", "4", String.valueOf(ExperimentConfig.MAX_HIDDEN), "1", null,
                                "Units of each hidden layer (the notebook: 128)."),
                        f.number("layers", "Hidden layers", "layers", "1", String.valueOf(ExperimentConfig.MAX_LAYERS),
                                "1", null, "ConditionalLinear layers, each scaled by a learned gain γ_t per step, then "
                                        + "softplus (score models: plain Linear)."),
                        f.select("prediction", "Network predicts", "ε, x₀ or v", Prediction.values(), Prediction::id,
                                "For ddpm_simple: the noise ε (Ho et al.), the clean x₀, or v = √ᾱ_t ε − √(1 − ᾱ_t) x₀ "
                                        + "(Salimans & Ho).", "objective:ddpm_simple"))),
                new FieldGroup("objective", "Objective", "the loss L(θ)", List.of(
                        f.select("objective", "Objective", "L", ObjectiveKind.values(), ObjectiveKind::id,
                                "dsm: denoising score matching ‖s_θ(x̃) + (x̃ − x)/σ²‖²; ssm: sliced score matching "
                                        + "vᵀ∇s_θ v + ½(vᵀs_θ)²; vlb_sohl: Sohl-Dickstein's bound (bits); ddpm_vlb: DDPM's sum of "
                                        + "KL(q(x_{t−1} | x_t, x₀) ‖ p_θ(x_{t−1} | x_t)); ddpm_simple: ‖ε − ε_θ(x_t, t)‖²."),
                        f.number("sigma", "Noise level", "σ", "0", "10", "any", "objective:dsm",
                                "dsm only: x̃ = x + σ z. The notebook uses σ = 0.01, which only learns the score "
                                        + "right next to the data."))),
                new FieldGroup("training", "Training", "Adam on θ", List.of(
                        f.number("steps", "Training steps", "steps", "1", String.valueOf(ExperimentConfig.MAX_STEPS), "1",
                                null, "Optimiser steps (the notebook: 1000 epochs of 10,000 / 128 = 79,000)."),
                        f.number("batchSize", "Batch size", "B", "2", String.valueOf(ExperimentConfig.MAX_BATCH), "1", null,
                                "Points per step, at most the number of training points."),
                        f.number("lr", "Learning rate", "η", "0", "1", "any", null, "Adam's step size (the notebook: 1e-3)."),
                        f.number("gradClip", "Gradient clipping", "‖∇θ‖ ≤", "0", "1000", "any", null,
                                "Rescale the gradient to at most this norm; 0 turns clipping off."),
                        f.number("emaDecay", "EMA decay", "μ", "0", "0.9999", "any", null,
                                "θ_EMA ← μ θ_EMA + (1 − μ) θ after every step; the pictures use θ_EMA. 0 turns it off."),
                        f.number("seed", "Seed", "seed", "0", "9007199254740992", "1", null,
                                "Same seed, same data, same initial weights, same run."))),
                new FieldGroup("sampling", "Sampling", "p_θ(x_{t−1} | x_t)", List.of(
                        f.select("sampler", "Sampler", "", withNatural(SamplerKind.values()), Function.identity(),
                                "Empty: the model's own (ancestral for diffusion models, Langevin for score models). "
                                        + "DDIM needs a diffusion model; Langevin works with any score."),
                        f.number("sampleSteps", "Sampler steps", "S or K", "1",
                                String.valueOf(SamplingConfig.MAX_SAMPLE_STEPS), "1", "sampler:ddim,langevin;objective:dsm,ssm",
                                "DDIM: S steps over a subsequence τ of 1 … T. Langevin: K iterations. "
                                        + "The ancestral chain always takes T."),
                        f.number("eta", "DDIM eta", "η", "0", "1", "any", "sampler:ddim",
                                "0: deterministic DDIM; 1: the ancestral chain's posterior variance."),
                        f.select("spacing", "DDIM spacing", "τ", DdimSampler.Spacing.values(), DdimSampler.Spacing::id,
                                "How τ spreads over 1 … T: evenly, or quadratically (denser near the data).", "sampler:ddim"),
                        f.select("variance", "Reverse variance", "σ_t²", VarianceType.values(), VarianceType::id,
                                "Ancestral step noise: β_t (the notebook) or β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t).",
                                "sampler:!ddim,langevin"),
                        f.number("langevinStepSize", "Langevin step", "ε", "0", "1", "any",
                                "sampler:langevin;objective:dsm,ssm",
                                "x_{k+1} = x_k + ε/2 ∇ log p(x_k) + √ε z_k (the notebook: 1e-3)."),
                        f.number("langevinDecay", "Langevin decay", "ε ← d ε", "0", "1", "any",
                                "sampler:langevin;objective:dsm,ssm", "The step size shrinks by this factor each iteration."),
                        f.number("temperature", "Temperature", "τ", "0", "10", "any", "sampler:langevin;objective:dsm,ssm",
                                "Scales the noise √ε z_k; 0 is plain gradient ascent on log p."),
                        f.select("weights", "Weights", "θ or θ_EMA", new String[] {"ema", "raw"}, Function.identity(),
                                "Sample from the exponential moving average θ_EMA or the raw weights θ."))));
    }

    private static String[] withNatural(SamplerKind[] kinds) {
        List<String> ids = new ArrayList<>();
        ids.add("");
        Arrays.stream(kinds).map(SamplerKind::id).forEach(ids::add);
        return ids.toArray(String[]::new);
    }

    /** Builds fields with their current values. */
    private record Filler(Map<String, Object> values) {
        String value(String name) {
            Object v = values.get(name);
            if (v instanceof Double d && Math.abs(d) >= 1e-7 && Math.abs(d) < 1e7) {
                return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString(); // 0.0001, not 1.0E-4
            }
            return v == null ? "" : String.valueOf(v);
        }

        FormField text(String name, String label, String symbol, String help) {
            return new FormField(name, label, symbol, help, "text", value(name), List.of(), null, null, null, null);
        }

        FormField number(String name, String label, String symbol, String min, String max, String step, String when,
                         String help) {
            return new FormField(name, label, symbol, help, "number", value(name), List.of(), min, max, step, when);
        }

        <E> FormField select(String name, String label, String symbol, E[] options, Function<E, String> id,
                             String help) {
            return select(name, label, symbol, options, id, help, null);
        }

        <E> FormField select(String name, String label, String symbol, E[] options, Function<E, String> id,
                             String help, String when) {
            String current = value(name);
            List<Choice> choices = Arrays.stream(options)
                    .map(o -> new Choice(id.apply(o), id.apply(o).isEmpty() ? "(the model's own)" : id.apply(o),
                            id.apply(o).equals(current)))
                    .toList();
            return new FormField(name, label, symbol, help, "select", current, choices, null, null, null, when);
        }
    }
}
