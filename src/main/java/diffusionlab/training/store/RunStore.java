package diffusionlab.training.store;

import diffusionlab.training.RunHistory;
import java.util.List;
import java.util.Optional;

/**
 * Where runs outlive the process: what the registry needs to save runs as they train and to bring them back
 * after a restart. Every method may block on I/O (the registry calls the writes from its
 * {@link StoreWriter}'s thread, never from a training step) and throws {@link StoreException} on failure.
 */
public interface RunStore extends AutoCloseable {

    /** Writes one run's changes in one transaction: all of them, or on an exception none. */
    void write(RunChanges changes);

    /** Deletes a run and everything stored for it, in one transaction; false when it was not stored. */
    boolean delete(String id);

    /** Every stored run's summary (no history, pictures or weights), oldest first. */
    List<StoredRun> loadRuns();

    /** One run's summary, if it is stored (and readable). */
    default Optional<StoredRun> loadRun(String id) {
        return loadRuns().stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** One run's curves and latest pictures ({@link RunHistory#EMPTY} when none are stored). */
    RunHistory loadHistory(String id);

    /** One run's latest checkpoint, if it has one. */
    Optional<Checkpoint> loadCheckpoint(String id);

    /** Only the EMA or only the raw weights of the latest checkpoint (for downloads and sampling). */
    Optional<float[]> loadWeights(String id, boolean ema);

    /** Where the data lives, for the log (never a password). */
    String description();

    @Override
    void close();

    /** A store that keeps nothing: runs live as long as the process. */
    static RunStore none() {
        return NoRunStore.INSTANCE;
    }
}
