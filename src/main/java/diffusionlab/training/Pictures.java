package diffusionlab.training;

import java.util.ArrayList;
import java.util.List;

/**
 * The newest picture of each kind a run has drawn: the forward frames q(x_t), the reverse chain
 * p(x_{t-1} | x_t), the score field and the samples. Not thread-safe: its owner guards it.
 */
public final class Pictures {
    private RunEvent.Frames forward;
    private RunEvent.Frames reverse;
    private RunEvent.Field field;
    private RunEvent.Samples samples;
    private long replaced;

    /** Keeps {@code event} in place of the older picture of its kind if it is a picture; returns whether it was. */
    public boolean keep(RunEvent event) {
        RunEvent older;
        if (event instanceof RunEvent.Frames f && f.kind().equals("forward")) {
            older = forward;
            forward = f;
        } else if (event instanceof RunEvent.Frames f) {
            older = reverse;
            reverse = f;
        } else if (event instanceof RunEvent.Field f) {
            older = field;
            field = f;
        } else if (event instanceof RunEvent.Samples s) {
            older = samples;
            samples = s;
        } else {
            return false;
        }
        if (older != null) {
            replaced++;
        }
        return true;
    }

    /** How many pictures were replaced by a newer one of their kind before anyone took them. */
    public long replaced() {
        return replaced;
    }

    /** Takes out the first picture there is (forward, reverse, field, samples), or null. */
    public RunEvent poll() {
        RunEvent first;
        if (forward != null) {
            first = forward;
            forward = null;
        } else if (reverse != null) {
            first = reverse;
            reverse = null;
        } else if (field != null) {
            first = field;
            field = null;
        } else {
            first = samples;
            samples = null;
        }
        return first;
    }

    /** Keeps every picture {@code newer} has, in place of this one's of the same kind. */
    public void keepAll(Pictures newer) {
        newer.all().forEach(this::keep);
    }

    /** The pictures there are, in the order forward, reverse, field, samples. */
    public List<RunEvent> all() {
        List<RunEvent> all = new ArrayList<>(4);
        for (RunEvent p : new RunEvent[] {forward, reverse, field, samples}) {
            if (p != null) {
                all.add(p);
            }
        }
        return all;
    }

    public boolean isEmpty() {
        return forward == null && reverse == null && field == null && samples == null;
    }

    /** How many pictures there are (at most 4). */
    public int size() {
        return all().size();
    }

    public void clear() {
        forward = null;
        reverse = null;
        field = null;
        samples = null;
    }

    public RunEvent.Frames forward() {
        return forward;
    }

    public RunEvent.Frames reverse() {
        return reverse;
    }

    public RunEvent.Field field() {
        return field;
    }

    public RunEvent.Samples samples() {
        return samples;
    }
}
