package diffusionlab.training.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which finished runs to delete: all but the {@code keepFinished} newest (by creation), and those finished
 * more than {@code maxAgeMillis} ago; 0 means no limit. Runs that are queued, training or paused are never
 * chosen.
 */
public record PrunePolicy(int keepFinished, long maxAgeMillis) {
    public static final PrunePolicy DEFAULT = new PrunePolicy(200, 0);
    public static final PrunePolicy KEEP_ALL = new PrunePolicy(0, 0);

    /** What the policy needs to know of a run. {@code finishedAtMillis} is 0 when unknown. */
    public record Entry(String id, boolean finished, long createdAtMillis, long finishedAtMillis) {
    }

    public PrunePolicy {
        if (keepFinished < 0 || maxAgeMillis < 0) {
            throw new IllegalArgumentException("prune limits must not be negative");
        }
    }

    /** The ids to delete, oldest first. */
    public List<String> select(List<Entry> runs, long nowMillis) {
        List<Entry> finished = new ArrayList<>();
        for (Entry e : runs) {
            if (e.finished()) {
                finished.add(e);
            }
        }
        finished.sort(Comparator.comparingLong(Entry::createdAtMillis).reversed().thenComparing(Entry::id));
        List<String> doomed = new ArrayList<>();
        for (int i = 0; i < finished.size(); i++) {
            Entry e = finished.get(i);
            long ended = e.finishedAtMillis() > 0 ? e.finishedAtMillis() : e.createdAtMillis();
            boolean tooMany = keepFinished > 0 && i >= keepFinished;
            boolean tooOld = maxAgeMillis > 0 && nowMillis - ended > maxAgeMillis;
            if (tooMany || tooOld) {
                doomed.add(0, e.id());
            }
        }
        return doomed;
    }
}
