package diffusionlab.web.security;

import diffusionlab.training.Presets;

/**
 * What one client may hold at once, so that one student cannot hurt the class: active runs (queued, training
 * or paused), live sockets and on-demand sample jobs (queued or drawing). A client is its address
 * ({@link ClientAddress}): the owner cookie is the client's to drop or invent, the address is not. A class
 * behind one address (a school's NAT) shares these, so they are larger than one student needs; the global caps
 * stay behind them. The teacher (signed in, or with the admin token) is not counted against active runs.
 *
 * @param activeRuns  {@code ACTIVE_RUNS_PER_CLIENT}: enough for one comparison of the loss variants
 * @param viewers     {@code VIEWERS_PER_CLIENT}: two tabs each for a class of 30 behind one address
 * @param sampleJobs  {@code SAMPLES_PER_CLIENT}: one sample at a time, the others wait their turn
 */
public record FairShares(int activeRuns, int viewers, int sampleJobs) {
    public static final FairShares DEFAULTS = new FairShares(Presets.LOSS_VARIANTS.length, 60, 1);
    /** No per-client caps worth the name (tests that start many runs from one address). */
    public static final FairShares UNLIMITED = new FairShares(100_000, 100_000, 100_000);

    public FairShares {
        if (activeRuns < 1 || viewers < 1 || sampleJobs < 1) {
            throw new IllegalArgumentException("per-client shares must be positive");
        }
    }
}
