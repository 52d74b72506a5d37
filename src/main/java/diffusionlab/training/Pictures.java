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

    /** Keeps {@code event} in place of the older picture of its kind if it is a picture; returns whether it was. */
    public boolean keep(RunEvent event) {
        if (event instanceof RunEvent.Frames f) {
            if (f.kind().equals("forward")) {
                forward = f;
            } else {
                reverse = f;
            }
        } else if (event instanceof RunEvent.Field f) {
            field = f;
        } else if (event instanceof RunEvent.Samples s) {
            samples = s;
        } else {
            return false;
        }
        return true;
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
