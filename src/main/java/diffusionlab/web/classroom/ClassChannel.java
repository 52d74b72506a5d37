package diffusionlab.web.classroom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.SharedDocument;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class's one presenter state: what the teacher shows now ({@link Presentation}), or nothing when the
 * teacher is not presenting (never since the start, or the class has ended). Every change is one small JSON
 * message ({@code {"type": "class", ...}}, docs/PROTOCOL.md), encoded once for every follower. The state is a
 * {@link SharedDocument}: in the single process it lives in memory (a restart ends the class); in the web role it
 * is stored, and a change made on any web instance reaches the followers of every instance.
 */
public final class ClassChannel {
    /** The message followers get on connect and on every change. */
    public record Message(String type, boolean presenting, boolean ended, String path, Integer t, Boolean playing,
                          Double speed, long seq, long at) {
    }

    /** What the shared document holds: the presentation, or none and whether a class has ended. */
    record State(Presentation presentation, boolean ended) {
    }

    /** The name of its shared document. */
    public static final String DOCUMENT = "class.presentation";
    private static final Logger LOG = LoggerFactory.getLogger(ClassChannel.class);

    private final ObjectMapper mapper;
    private final SharedDocument document;
    private final List<Consumer<String>> followers = new CopyOnWriteArrayList<>();
    private State state = new State(null, false);
    private long seq;
    private String text;

    public ClassChannel(ObjectMapper mapper, SharedDocument document) {
        this.mapper = mapper;
        this.document = document;
        this.text = encode();
        document.subscribe(this::heard);
    }

    /** The teacher shows this now; every follower (of every web instance) is told. */
    public synchronized Message present(Presentation presentation) {
        return change(new State(presentation, false));
    }

    /** The teacher stops presenting: the class has ended (until the teacher presents again). */
    public synchronized Message end() {
        return change(new State(null, state.ended() || state.presentation() != null));
    }

    public synchronized boolean presenting() {
        return state.presentation() != null;
    }

    public synchronized Message state() {
        return message();
    }

    /** Adds a follower and hands it the current state first, atomically, so that it misses no change. */
    public synchronized void follow(Consumer<String> follower) {
        followers.add(follower);
        follower.accept(text);
    }

    public void unfollow(Consumer<String> follower) {
        followers.remove(follower);
    }

    public int followerCount() {
        return followers.size();
    }

    /** Stores the change (nothing changes if that fails), then shows it here. */
    private Message change(State next) {
        SharedDocument.Version version = document.publish(write(next));
        apply(version.seq(), next);
        return message();
    }

    /** A change made on another web instance (or this one's own, heard again: kept once, by its seq). */
    private synchronized void heard(SharedDocument.Version version) {
        if (version.seq() <= seq) {
            return;
        }
        try {
            apply(version.seq(), mapper.readValue(version.body(), State.class));
        } catch (JsonProcessingException e) {
            LOG.warn("the class's shared state is not one ({}): {}", e.getOriginalMessage(), version.body());
        }
    }

    private void apply(long version, State next) {
        seq = version;
        state = next;
        text = encode();
        followers.forEach(f -> f.accept(text)); // each follower only keeps it: never blocks
    }

    private Message message() {
        Presentation p = state.presentation();
        return p == null
                ? new Message("class", false, state.ended(), null, null, null, null, seq, System.currentTimeMillis())
                : new Message("class", true, false, p.path(), p.t(), p.playing(), p.speed(), seq,
                        System.currentTimeMillis());
    }

    private String write(State next) {
        try {
            return mapper.writeValueAsString(next);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a class state always serialises", e);
        }
    }

    private String encode() {
        try {
            return mapper.writeValueAsString(message());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a class message always serialises", e);
        }
    }
}
