package diffusionlab.engine;

/** Called by {@link Trainer#run} every N steps; the training layer publishes from here. */
@FunctionalInterface
public interface ProgressListener {
    /**
     * @param step     steps done so far
     * @param meanLoss the mean loss of the steps since the previous call
     * @return false to stop training
     */
    boolean onProgress(long step, double meanLoss);
}
