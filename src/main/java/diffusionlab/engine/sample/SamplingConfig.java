package diffusionlab.engine.sample;

import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.Rng;

/**
 * How to draw samples from a trained model. {@code sampler} null means the model's natural one
 * (ancestral for diffusion models, Langevin for score models). {@code sampleSteps} is DDIM's S or
 * Langevin's number of iterations (the ancestral chain always takes T steps).
 */
public record SamplingConfig(SamplerKind sampler, int sampleSteps, double eta, DdimSampler.Spacing spacing,
                             VarianceType variance, double langevinStepSize, double langevinDecay,
                             double temperature, boolean ema) {

    public static final int MAX_SAMPLE_STEPS = 5000;

    public static SamplingConfig defaults() {
        return new SamplingConfig(null, 50, 0.0, DdimSampler.Spacing.UNIFORM, VarianceType.BETA,
                1e-3, 0.999, 1.0, true);
    }

    public SamplingConfig withSampler(SamplerKind kind, int steps) {
        return new SamplingConfig(kind, steps, eta, spacing, variance, langevinStepSize, langevinDecay, temperature, ema);
    }

    public SamplingConfig withEma(boolean useEma) {
        return new SamplingConfig(sampler, sampleSteps, eta, spacing, variance, langevinStepSize, langevinDecay,
                temperature, useEma);
    }

    public SamplingConfig validate() {
        check(sampleSteps >= 1 && sampleSteps <= MAX_SAMPLE_STEPS, "sampleSteps",
                "sampleSteps must be an integer between 1 and " + MAX_SAMPLE_STEPS);
        check(Double.isFinite(eta) && eta >= 0 && eta <= 1, "eta", "eta must be a number between 0 and 1");
        check(Double.isFinite(langevinStepSize) && langevinStepSize > 0 && langevinStepSize <= 1, "langevinStepSize",
                "langevinStepSize must be a number greater than 0 and at most 1");
        check(Double.isFinite(langevinDecay) && langevinDecay > 0 && langevinDecay <= 1, "langevinDecay",
                "langevinDecay must be a number greater than 0 and at most 1");
        check(Double.isFinite(temperature) && temperature >= 0 && temperature <= 10, "temperature",
                "temperature must be a number between 0 and 10");
        return this;
    }

    private static void check(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidConfigException(field, message);
        }
    }

    /** The sampler that will run for this model: the configured one, or the model's natural one. */
    public SamplerKind effectiveSampler(ModelView model) {
        if (model.isScoreModel()) {
            return SamplerKind.LANGEVIN; // ancestral and DDIM need a diffusion model
        }
        return sampler != null ? sampler : SamplerKind.ANCESTRAL;
    }

    /** Draws n points: x_T ~ N(0, I), then the chosen chain; returns the whole chain. */
    public Chain sample(ModelView model, int n, Rng rng) {
        float[] start = new float[2 * n];
        rng.fillGaussian(start, 0, start.length);
        return switch (effectiveSampler(model)) {
            case ANCESTRAL -> AncestralSampler.sample(model, start, variance, rng);
            case DDIM -> DdimSampler.sample(model, start, sampleSteps, eta, spacing, rng);
            case LANGEVIN -> LangevinSampler.sample(model, start, sampleSteps, langevinStepSize, langevinDecay,
                    temperature, 0, rng);
        };
    }
}
