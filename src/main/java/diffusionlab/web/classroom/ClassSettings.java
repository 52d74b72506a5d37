package diffusionlab.web.classroom;

import java.util.OptionalInt;

/**
 * What the teacher allows the class: whether students may start runs, and how many active runs (queued, training
 * or paused) one client may hold, in place of the server's {@code ACTIVE_RUNS_PER_CLIENT} when set. The teacher is
 * never limited by them. They live in memory, in this one object: a restart resets them (students may start runs,
 * the server's own share).
 */
public final class ClassSettings {
    public static final int MAX_CAP = 100;

    /** A copy of the settings at one moment; {@code activeRunsPerClient} is null when the server's share applies. */
    public record View(boolean studentsMayStart, Integer activeRunsPerClient) {
    }

    private volatile View view = new View(true, null);

    public View view() {
        return view;
    }

    public boolean studentsMayStart() {
        return view.studentsMayStart();
    }

    /** The teacher's cap on a client's active runs, if the teacher set one. */
    public OptionalInt activeRunsPerClient() {
        Integer cap = view.activeRunsPerClient();
        return cap == null ? OptionalInt.empty() : OptionalInt.of(cap);
    }

    public void set(View next) {
        view = next;
    }
}
