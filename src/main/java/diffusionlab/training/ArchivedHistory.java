package diffusionlab.training;

import java.lang.ref.SoftReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history of a finished run restored from the store: read on first use and kept while memory allows (a
 * soft reference, so a hundred viewed runs never crowd out training). If the store cannot be read, the run
 * shows an empty history and the next view tries again.
 */
final class ArchivedHistory {
    private static final Logger LOG = LoggerFactory.getLogger(ArchivedHistory.class);

    private final String runId;
    private final Supplier<RunHistory> loader;
    private SoftReference<RunHistory> cached = new SoftReference<>(null);

    ArchivedHistory(String runId, Supplier<RunHistory> loader) {
        this.runId = runId;
        this.loader = loader;
    }

    synchronized RunHistory get() {
        RunHistory h = cached.get();
        if (h == null) {
            try {
                h = loader.get();
            } catch (RuntimeException e) {
                LOG.warn("run {}: could not read its history from the store ({})", runId, e.getMessage());
                return RunHistory.EMPTY;
            }
            cached = new SoftReference<>(h);
        }
        return h;
    }
}
