package diffusionlab.training;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.Rng;
import diffusionlab.engine.objective.Coupling;
import diffusionlab.engine.sample.FlowSampler;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.training.store.RunStore;
import diffusionlab.training.store.StoredRun;

/**
 * Reflow's training pairs (Liu et al. 2023, Alg. 1), the one place both the server's worker and {@code train
 * --reflow-from} draw them: {@code trainingSize} noise points from the child's seed, each with where the parent's ODE
 * carries it (its EMA or raw weights as it samples, its Euler or Heun chain, else Euler in
 * {@link SamplingConfig#EULER_STEPS}). The same seed gives the same pairs, so a resumed child trains on the same ones.
 */
public final class Reflow {
    private Reflow() {
    }

    /** The pairs a child with experiment {@code child} trains on, from a parent run's config and weights. */
    public static Coupling pairs(RunConfig parent, FrozenWeights weights, ExperimentConfig child,
                                 Cancellation cancellation) {
        SamplingConfig s = parent.sampling();
        SamplerKind own = s.effectiveSampler(parent.experiment().objective());
        boolean heun = own == SamplerKind.HEUN;
        int steps = own == SamplerKind.EULER || heun ? s.sampleSteps() : SamplingConfig.EULER_STEPS;
        float[] noise = new float[2 * child.trainingSize()];
        new Rng(child.seed() ^ 0x2EF10L).fillGaussian(noise, 0, noise.length);
        return FlowSampler.couple(weights.view(s.ema()), noise, steps, heun, weights.schedule().timesteps,
                cancellation);
    }

    /**
     * A reflow learns its parent's data (its pairs are the parent's samples of it) and is measured against that data:
     * the child's config with the parent's data set, whatever the child's config said.
     */
    public static RunConfig onParentsData(RunConfig child, RunConfig parent) {
        ExperimentConfig data = parent.experiment();
        return new RunConfig(child.name(), child.preset(), child.experiment().toBuilder().dataset(data.dataset())
                .datasetSize(data.datasetSize()).datasetNoise(data.datasetNoise()).points(data.points()).build(),
                child.sampling(), child.reflowFrom());
    }

    /** The pairs a child with experiment {@code child} trains on, from its parent. */
    public static Coupling pairs(Parent parent, ExperimentConfig child, Cancellation cancellation) {
        return pairs(parent.config(), parent.weights(), child, cancellation);
    }

    /** A run to reflow: its config and the weights its ODE samples with. */
    public record Parent(RunConfig config, FrozenWeights weights) {
        /**
         * A finished flow_matching run of a store and its final weights (for {@code train --reflow-from}, and for
         * a worker process, which holds no other run); throws {@link IllegalArgumentException} saying why when the
         * store has no such run.
         */
        public static Parent load(RunStore store, String id) {
            StoredRun run = store.loadRuns().stream().filter(r -> r.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the store has no run " + id));
            if (!run.config().experiment().objective().isFlowModel() || run.state() != RunState.DONE) {
                throw new IllegalArgumentException("run " + id + " is a " + run.state().id() + " "
                        + run.config().experiment().objective().id() + " run; reflow needs a finished flow_matching run");
            }
            float[] raw = store.loadWeights(id, false).orElseThrow(
                    () -> new IllegalArgumentException("run " + id + " has no stored weights"));
            float[] ema = store.loadWeights(id, true).orElseThrow(
                    () -> new IllegalArgumentException("run " + id + " has no stored weights"));
            return new Parent(run.config(), FrozenWeights.of(run.config().experiment(), run.step(), raw, ema));
        }
    }
}
