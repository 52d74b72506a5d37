package diffusionlab.web.classroom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.SharedDocument;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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

    private final ObjectMapper mapper;
    private final List<Consumer<String>> followers = new CopyOnWriteArrayList<>();
    private Message message; // guarded by this, as text
    private String text;
    private final SharedValue<State> state;

    public ClassChannel(ObjectMapper mapper, SharedDocument document) {
        this.mapper = mapper;
        changed(0, new State(null, false));
        this.state = new SharedValue<>(mapper, document, State.class, new State(null, false), this::changed);
    }

    /** The teacher shows this now; every follower (of every web instance) is told. */
    public Message present(Presentation presentation) {
        state.set(new State(presentation, false));
        return state();
    }

    /** The teacher stops presenting: the class has ended (until the teacher presents again). */
    public Message end() {
        state.update(s -> new State(null, s.ended() || s.presentation() != null));
        return state();
    }

    public boolean presenting() {
        return state.get().presentation() != null;
    }

    public synchronized Message state() {
        return message;
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

    /** A state taken (set here or heard from another instance): encoded once, for every follower. */
    private synchronized void changed(long seq, State next) {
        Presentation p = next.presentation();
        long at = System.currentTimeMillis();
        message = p == null
                ? new Message("class", false, next.ended(), null, null, null, null, seq, at)
                : new Message("class", true, false, p.path(), p.t(), p.playing(), p.speed(), seq, at);
        try {
            text = mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a class message always serialises", e);
        }
        followers.forEach(f -> f.accept(text)); // each follower only keeps it: never blocks
    }
}
