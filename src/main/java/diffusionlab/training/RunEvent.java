package diffusionlab.training;

/**
 * What a run publishes as it trains. Listeners receive these on the run's own threads and must not block.
 * Point clouds are flat [n, 2] float arrays; the web layer packs them for the wire.
 */
public sealed interface RunEvent {
    /** State, step, speed or queue position changed. */
    record StatusChanged(RunStatus status) implements RunEvent {
    }

    /** New points of the loss curve (batched, a few times a second). */
    record LossPoints(long[] steps, float[] values) implements RunEvent {
    }

    /** A new value of the sample-quality metric (sliced Wasserstein distance to held-out data). */
    record MetricPoint(long step, double value) implements RunEvent {
    }

    /**
     * Point clouds at the dashboard's time steps {@code ts} (paper notation, 0 = data, T = noise):
     * kind "forward" is q(x_t), "reverse" the reverse chain of the current EMA model (for score models
     * the Langevin chain, ts then counting iterations).
     */
    record Frames(String kind, long trainingStep, int[] ts, float[][] clouds) implements RunEvent {
    }

    /** The learned score on a size x size grid over [min, max]^2 at each of ts, [size*size, 2] each. */
    record Field(long trainingStep, int[] ts, int size, double min, double max, float[][] vectors)
            implements RunEvent {
    }

    /** Samples of the current model over the data, plus (score models) a few Langevin trajectories. */
    record Samples(long trainingStep, String sampler, float[] cloud, float[][] trajectories) implements RunEvent {
    }
}
