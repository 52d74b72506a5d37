package diffusionlab.training.store;

import diffusionlab.training.RunConfig;
import diffusionlab.training.RunState;

/**
 * A run's summary row as the store keeps it: what the run list needs, read for every run at start. The
 * heavy parts (history, pictures, weights) are read later, per run. {@code finishedAtMillis} is 0 while the
 * run has not ended, {@code checkpointStep} -1 when it has no checkpoint yet.
 */
public record StoredRun(String id, String ownerHash, long createdAtMillis, RunConfig config, RunState state,
                        long step, String error, long finishedAtMillis, long checkpointStep) {
}
