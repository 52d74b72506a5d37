package diffusionlab.web.classroom;

import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.SharedDocument;
import java.util.OptionalInt;

/**
 * What the teacher allows the class: whether students may start runs, and how many active runs (queued, training
 * or paused) one client may hold, in place of the server's {@code ACTIVE_RUNS_PER_CLIENT} when set. The teacher is
 * never limited by them. They are a {@link SharedDocument}: in the single process they live in memory (a restart
 * resets them: students may start runs, the server's own share); in the web role they are stored, and a change
 * made on one web instance holds on every instance.
 */
public final class ClassSettings {
    public static final int MAX_CAP = 100;
    /** The name of its shared document. */
    public static final String DOCUMENT = "class.settings";

    /** A copy of the settings at one moment; {@code activeRunsPerClient} is null when the server's share applies. */
    public record View(boolean studentsMayStart, Integer activeRunsPerClient) {
    }

    private final SharedValue<View> view;

    public ClassSettings(ObjectMapper mapper, SharedDocument document) {
        this.view = new SharedValue<>(mapper, document, View.class, new View(true, null), (seq, v) -> { });
    }

    public View view() {
        return view.get();
    }

    public boolean studentsMayStart() {
        return view().studentsMayStart();
    }

    /** The teacher's cap on a client's active runs, if the teacher set one. */
    public OptionalInt activeRunsPerClient() {
        Integer cap = view().activeRunsPerClient();
        return cap == null ? OptionalInt.empty() : OptionalInt.of(cap);
    }

    /** Stores the new settings (nothing changes if that fails), for every web instance. */
    public void set(View next) {
        view.set(next);
    }
}
