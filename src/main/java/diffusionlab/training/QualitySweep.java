package diffusionlab.training;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.Rng;
import diffusionlab.engine.metric.Straightness;
import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.sample.Chain;
import diffusionlab.engine.sample.ChainRecording;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sample quality against sampling steps: the distance to held-out data of samples drawn with the run's deterministic
 * sampler at 1, 2, 4, 8, 16 and 32 network evaluations (NFE) and with its full chain, all from the same noise, and
 * the {@link Straightness straightness} of the full chain's paths. The deterministic sampler is DDIM (η = 0) for a
 * diffusion model (DPM-Solver++(2M) when the run samples with it), the run's ODE sampler (Euler unless it asks for Heun) for a flow model, Langevin for a score
 * model (its K iterations are its evaluations). One sweep keeps to {@link #BUDGET_SECONDS} of one core by
 * {@link RunCost}'s estimate, by drawing fewer points (down to {@link #MIN_POINTS}). Pure: the worker decides when
 * and on which thread.
 */
public final class QualitySweep {
    /** The evaluations measured besides the full chain. */
    public static final int[] EVALUATIONS = {1, 2, 4, 8, 16, 32};
    /** What one sweep may cost, by the estimate: it runs beside training, never on its thread. */
    public static final double BUDGET_SECONDS = 2.0;
    public static final int MIN_POINTS = 100;
    /** Particles whose full-chain paths the straightness is measured on. */
    static final int STRAIGHTNESS_POINTS = 256;

    private final SamplerKind sampler;
    private final List<SamplingConfig> chains;
    private final int[] evaluations;
    private final int points;

    public QualitySweep(ObjectiveKind objective, SamplingConfig sampling, int timesteps, MlpShape shape) {
        SamplingConfig base = deterministic(sampling, objective, timesteps);
        this.sampler = base.effectiveSampler(objective);
        List<SamplingConfig> configs = new ArrayList<>();
        List<Integer> nfes = new ArrayList<>();
        for (int m : EVALUATIONS) {
            add(configs, nfes, atMost(base, m), objective, timesteps);
        }
        add(configs, nfes, base, objective, timesteps);
        this.chains = List.copyOf(configs);
        this.evaluations = nfes.stream().mapToInt(Integer::intValue).toArray();
        double total = Arrays.stream(evaluations).sum();
        double affordable = BUDGET_SECONDS * RunCost.FLOPS_PER_SECOND / (RunCost.forwardFlops(shape) * total);
        this.points = (int) Math.max(MIN_POINTS, Math.min(PictureDrawer.POINTS, affordable));
    }

    /** Keeps a chain unless one with as many evaluations is there already (e.g. DDIM's 32 steps capped at T = 20). */
    private static void add(List<SamplingConfig> configs, List<Integer> nfes, SamplingConfig s, ObjectiveKind objective,
                            int timesteps) {
        int nfe = s.evaluations(objective, timesteps);
        if (!nfes.contains(nfe)) {
            int at = 0;
            while (at < nfes.size() && nfes.get(at) < nfe) {
                at++;
            }
            nfes.add(at, nfe);
            configs.add(at, s);
        }
    }

    /**
     * The run's deterministic sampler at its full length: DDIM over all T steps with η = 0 for a diffusion model
     * (DPM-Solver++(2M) over all T steps when the run samples with it);
     * the run's own Euler or Heun chain for a flow model (Euler's when it samples otherwise); the run's Langevin chain
     * for a score model.
     */
    static SamplingConfig deterministic(SamplingConfig s, ObjectiveKind objective, int timesteps) {
        if (objective.isScoreModel()) {
            return s.withSampler(SamplerKind.LANGEVIN, s.sampleSteps());
        }
        if (objective.isFlowModel()) {
            SamplerKind own = s.effectiveSampler(objective);
            return own == SamplerKind.EULER || own == SamplerKind.HEUN ? s
                    : s.withSampler(SamplerKind.EULER, SamplingConfig.EULER_STEPS);
        }
        SamplerKind own = s.effectiveSampler(objective) == SamplerKind.DPM_SOLVER_2M ? SamplerKind.DPM_SOLVER_2M
                : SamplerKind.DDIM;
        return s.toBuilder().sampler(own).sampleSteps(timesteps).eta(0).build();
    }

    /** The same sampler with at most {@code nfe} network evaluations (Heun: N = (nfe + 1) / 2, 2N − 1 of them). */
    static SamplingConfig atMost(SamplingConfig base, int nfe) {
        int steps = base.sampler() == SamplerKind.HEUN ? Math.max(1, (nfe + 1) / 2) : nfe;
        return base.toBuilder().sampleSteps(Math.min(steps, base.sampleSteps())).build();
    }

    /** The network evaluations of each chain, increasing; the last is the full chain. */
    public int[] evaluations() {
        return evaluations.clone();
    }

    /** Points per chain. */
    public int points() {
        return points;
    }

    /** Network evaluations of one sweep over all its points: what it costs, at {@link RunCost#forwardFlops} each. */
    public long passes() {
        return (long) points * Arrays.stream(evaluations).sum();
    }

    /** The full chain: the run's deterministic sampler at its full length. */
    SamplingConfig full() {
        return chains.get(chains.size() - 1);
    }

    /**
     * The heap a sweep holds at its peak besides the weights and its model view: the full chain's kept states
     * (at most {@link PictureDrawer#MOTION_STATES} clouds of {@link #points}) and the straightness' copy of its first
     * paths.
     */
    long bytes() {
        return RunCost.chainBytes(PictureDrawer.MOTION_STATES, points)
                + RunCost.chainBytes(PictureDrawer.MOTION_STATES, Math.min(points, STRAIGHTNESS_POINTS));
    }

    /**
     * Draws every chain from the same noise (the same seed), measures each one's samples against {@code heldOut}
     * ({@link PictureDrawer#metric}) and the straightness of the full chain's first {@link #STRAIGHTNESS_POINTS}
     * paths (its states thinned to at most {@link PictureDrawer#MOTION_STATES}); checks {@code cancellation} at every
     * step of every chain.
     */
    public RunEvent.Quality measure(ModelView model, long trainingStep, float[] heldOut, long seed,
                                    Cancellation cancellation) {
        double[] distances = new double[chains.size()];
        double straightness = Double.NaN;
        for (int i = 0; i < chains.size(); i++) {
            boolean full = i == chains.size() - 1;
            ChainRecording recording = full ? ChainRecording.thinned(PictureDrawer.MOTION_STATES) : ChainRecording.LAST;
            Chain chain = chains.get(i).sample(model, points, new Rng(seed), recording, cancellation);
            distances[i] = PictureDrawer.metric(chain.last(), heldOut);
            if (full) {
                straightness = Straightness.chordDeviation(firstPaths(chain, STRAIGHTNESS_POINTS));
            }
        }
        return new RunEvent.Quality(trainingStep, sampler.id(), points, evaluations.clone(), distances, straightness);
    }

    /** The chain of its first {@code n} particles only. */
    static Chain firstPaths(Chain chain, int n) {
        int keep = 2 * Math.min(n, chain.points());
        float[][] states = new float[chain.states().length][];
        for (int j = 0; j < states.length; j++) {
            states[j] = Arrays.copyOf(chain.states()[j], keep);
        }
        return new Chain(states, chain.steps());
    }
}
