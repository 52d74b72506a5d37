package diffusionlab.engine.sample;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.Rng;
import diffusionlab.engine.objective.ObjectiveKind;

/**
 * How to draw samples from a trained model. {@code sampler} null means the model's natural one
 * (ancestral for diffusion models, Langevin for score models, Euler for flow models). {@code sampleSteps} is
 * DDIM's S, Langevin's number of iterations K or the ODE samplers' N (the ancestral chain always takes T steps).
 */
public record SamplingConfig(SamplerKind sampler, int sampleSteps, double eta, DdimSampler.Spacing spacing,
                             VarianceType variance, double langevinStepSize, double langevinDecay,
                             double temperature, boolean ema) {

    /** DDIM's S by default: a few dozen steps of a deterministic chain land on the data. */
    public static final int DDIM_STEPS = 50;
    /**
     * Langevin's K by default: with ε = 1e-3 and decay d = 0.999 the chain's steps add up to
     * Σ ε_k = ε (1 − d^K) / (1 − d), 0.05 for K = 50 but 0.63 for K = 1000: enough to carry N(0, I) onto
     * data about 2 wide.
     */
    public static final int LANGEVIN_STEPS = 1000;
    /**
     * Euler's N by default: its error falls as 1/N, and at N = 100 a trained flow's samples are as close to the data
     * as the model allows (the PyTorch anchor, {@code flow_torch.py}: 0.017 at N = 100, 0.067 at N = 8).
     */
    public static final int EULER_STEPS = 100;
    /** Heun's N by default: 2N − 1 = 99 evaluations, Euler's budget, at second order. */
    public static final int HEUN_STEPS = 50;
    /** DPM-Solver++(2M)'s S by default: a second-order solver needs far fewer steps than DDIM's 50 (Lu et al.: 10–20). */
    public static final int DPM_SOLVER_STEPS = 20;

    public static SamplingConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults: the model's own sampler, DDIM's S, the EMA weights. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The default {@code sampleSteps} of a sampler: K for Langevin, S for DDIM (unused by the ancestral chain) and
     * DPM-Solver++(2M), N for Euler and Heun.
     */
    public static int defaultSteps(SamplerKind kind) {
        return switch (kind) {
            case ANCESTRAL, DDIM -> DDIM_STEPS;
            case DPM_SOLVER_2M -> DPM_SOLVER_STEPS;
            case LANGEVIN -> LANGEVIN_STEPS;
            case EULER -> EULER_STEPS;
            case HEUN -> HEUN_STEPS;
        };
    }

    /** The same settings with another sampler and its number of steps. */
    public SamplingConfig withSampler(SamplerKind kind, int steps) {
        return toBuilder().sampler(kind).sampleSteps(steps).build();
    }

    /** The same settings sampling from θ_EMA ({@code true}) or from the raw weights θ. */
    public SamplingConfig withEma(boolean useEma) {
        return toBuilder().ema(useEma).build();
    }

    /** The sampler that will run for this model: the configured one, or the model's natural one. */
    public SamplerKind effectiveSampler(ModelView model) {
        return effectiveSampler(model.objective());
    }

    /**
     * The sampler that will run for a model trained with {@code objective}: the configured one, or the model's own
     * (ancestral, Langevin, Euler); a score model always runs Langevin. Throws {@link InvalidConfigException} naming
     * {@code sampler} when the model cannot be sampled that way ({@link SamplerKind#acceptedBy}).
     */
    public SamplerKind effectiveSampler(ObjectiveKind objective) {
        if (sampler != null && !sampler.acceptedBy(objective)) {
            throw new InvalidConfigException("sampler", "sampler " + sampler.id() + " cannot sample a "
                    + objective.id() + " model: " + (objective.isFlowModel()
                    ? "a flow model gives a velocity, not a noise estimate; use euler, heun or langevin"
                    : "euler and heun integrate a flow model's velocity; use ancestral, ddim, dpm_solver_2m or langevin"));
        }
        if (objective.isScoreModel()) {
            return SamplerKind.LANGEVIN; // ancestral and DDIM need a diffusion model
        }
        if (sampler != null) {
            return sampler;
        }
        return objective.isFlowModel() ? SamplerKind.EULER : SamplerKind.ANCESTRAL;
    }

    /**
     * Draws n points: x_T ~ N(0, I), then the chosen chain, keeping the states {@code recording} asks for;
     * {@code cancellation} is checked every step of the chain.
     */
    public Chain sample(ModelView model, int n, Rng rng, ChainRecording recording, Cancellation cancellation) {
        float[] start = new float[2 * n];
        rng.fillGaussian(start, 0, start.length);
        return switch (effectiveSampler(model)) {
            case ANCESTRAL -> AncestralSampler.sample(model, start, variance, rng, recording, cancellation);
            case DDIM -> DdimSampler.sample(model, start, sampleSteps, eta, spacing, rng, recording, cancellation);
            case DPM_SOLVER_2M -> DpmSolverSampler.sample(model, start, sampleSteps, recording, cancellation);
            case LANGEVIN -> LangevinSampler.sample(model, start, sampleSteps, langevinStepSize, langevinDecay,
                    temperature, 0, rng, recording, cancellation);
            case EULER -> FlowSampler.euler(model, start, sampleSteps, model.schedule().timesteps, recording,
                    cancellation);
            case HEUN -> FlowSampler.heun(model, start, sampleSteps, model.schedule().timesteps, recording,
                    cancellation);
        };
    }

    /**
     * The number of steps the chain takes: T (ancestral), S capped at T (DDIM, DPM-Solver++(2M)), K (Langevin) or N
     * (Euler, Heun).
     */
    public int chainSteps(ObjectiveKind objective, int timesteps) {
        return switch (effectiveSampler(objective)) {
            case ANCESTRAL -> timesteps;
            case DDIM, DPM_SOLVER_2M -> Math.max(1, Math.min(sampleSteps, timesteps));
            case LANGEVIN, EULER, HEUN -> sampleSteps;
        };
    }

    /** The network evaluations (NFE) of the chain: {@link #chainSteps}, or 2N − 1 for Heun. */
    public int evaluations(ObjectiveKind objective, int timesteps) {
        return effectiveSampler(objective).evaluations(chainSteps(objective, timesteps));
    }

    /** Sets fields by name; unset ones keep the defaults (or the settings it started from). */
    public static final class Builder {
        private SamplerKind sampler;
        private int sampleSteps = DDIM_STEPS;
        private double eta = 0.0;
        private DdimSampler.Spacing spacing = DdimSampler.Spacing.UNIFORM;
        private VarianceType variance = VarianceType.BETA;
        private double langevinStepSize = 1e-3;
        private double langevinDecay = 0.999;
        private double temperature = 1.0;
        private boolean ema = true;

        private Builder() {
        }

        private Builder(SamplingConfig s) {
            sampler = s.sampler;
            sampleSteps = s.sampleSteps;
            eta = s.eta;
            spacing = s.spacing;
            variance = s.variance;
            langevinStepSize = s.langevinStepSize;
            langevinDecay = s.langevinDecay;
            temperature = s.temperature;
            ema = s.ema;
        }

        /** Null: the model's own sampler. */
        public Builder sampler(SamplerKind v) {
            sampler = v;
            return this;
        }

        public Builder sampleSteps(int v) {
            sampleSteps = v;
            return this;
        }

        public Builder eta(double v) {
            eta = v;
            return this;
        }

        public Builder spacing(DdimSampler.Spacing v) {
            spacing = v;
            return this;
        }

        public Builder variance(VarianceType v) {
            variance = v;
            return this;
        }

        public Builder langevinStepSize(double v) {
            langevinStepSize = v;
            return this;
        }

        public Builder langevinDecay(double v) {
            langevinDecay = v;
            return this;
        }

        public Builder temperature(double v) {
            temperature = v;
            return this;
        }

        public Builder ema(boolean v) {
            ema = v;
            return this;
        }

        public SamplingConfig build() {
            return new SamplingConfig(sampler, sampleSteps, eta, spacing, variance, langevinStepSize, langevinDecay,
                    temperature, ema);
        }
    }
}
