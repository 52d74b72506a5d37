package diffusionlab.training.store;

/**
 * A worker wrote for a run it no longer holds: its lease lapsed and another worker claimed the run, or the run
 * was deleted. Nothing was written; the worker must stop training the run (never retried).
 */
public final class LeaseLostException extends StoreException {
    private final String runId;

    public LeaseLostException(String runId) {
        super("run " + runId + " is no longer this worker's (its lease lapsed or the run was deleted)");
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }
}
