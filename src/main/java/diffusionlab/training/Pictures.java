package diffusionlab.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The newest picture of each {@link PictureKind}: what a run has drawn, what the store keeps for it, what a
 * viewer has not been sent yet. Not thread-safe: its owner guards it.
 */
public final class Pictures {
    private final EnumMap<PictureKind, RunEvent.Picture> newest = new EnumMap<>(PictureKind.class);
    private long replaced;

    /** Keeps {@code picture} in place of the older picture of its kind (null is ignored). */
    public void keep(RunEvent.Picture picture) {
        if (picture != null && newest.put(picture.kind(), picture) != null) {
            replaced++;
        }
    }

    /** Keeps every picture of {@code pictures}, in place of this one's of the same kind. */
    public void keepAll(Iterable<RunEvent.Picture> pictures) {
        pictures.forEach(this::keep);
    }

    /** How many pictures were replaced by a newer one of their kind before anyone took them. */
    public long replaced() {
        return replaced;
    }

    /** Takes out the first picture there is, in {@link PictureKind} order, or null. */
    public RunEvent.Picture poll() {
        var entries = newest.values().iterator();
        if (!entries.hasNext()) {
            return null;
        }
        RunEvent.Picture first = entries.next();
        entries.remove();
        return first;
    }

    /** The pictures there are, in {@link PictureKind} order. */
    public List<RunEvent.Picture> all() {
        return new ArrayList<>(newest.values());
    }

    /** An unmodifiable copy, for a snapshot. */
    public Map<PictureKind, RunEvent.Picture> copy() {
        return Collections.unmodifiableMap(new EnumMap<>(newest));
    }

    public RunEvent.Picture get(PictureKind kind) {
        return newest.get(kind);
    }

    public boolean isEmpty() {
        return newest.isEmpty();
    }

    /** How many pictures there are (at most one per kind). */
    public int size() {
        return newest.size();
    }

    public void clear() {
        newest.clear();
    }
}
