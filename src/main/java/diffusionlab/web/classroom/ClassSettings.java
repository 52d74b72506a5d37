package diffusionlab.web.classroom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.SharedDocument;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(ClassSettings.class);

    /** A copy of the settings at one moment; {@code activeRunsPerClient} is null when the server's share applies. */
    public record View(boolean studentsMayStart, Integer activeRunsPerClient) {
    }

    private final ObjectMapper mapper;
    private final SharedDocument document;
    private volatile View view = new View(true, null);
    private long seq; // of the view, guarded by this

    public ClassSettings(ObjectMapper mapper, SharedDocument document) {
        this.mapper = mapper;
        this.document = document;
        document.subscribe(this::heard);
    }

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

    /** Stores the new settings (nothing changes if that fails), for every web instance. */
    public synchronized void set(View next) {
        String body;
        try {
            body = mapper.writeValueAsString(next);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("class settings always serialise", e);
        }
        SharedDocument.Version version = document.publish(body);
        if (version.seq() > seq) {
            seq = version.seq();
            view = next;
        }
    }

    /** A change made on another web instance (or this one's own, heard again: kept once, by its seq). */
    private synchronized void heard(SharedDocument.Version version) {
        if (version.seq() <= seq) {
            return;
        }
        try {
            view = mapper.readValue(version.body(), View.class);
            seq = version.seq();
        } catch (JsonProcessingException e) {
            LOG.warn("the class's shared settings are not settings ({}): {}", e.getOriginalMessage(), version.body());
        }
    }
}
