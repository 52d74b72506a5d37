package diffusionlab.web.classroom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The class's one presenter state: what the teacher shows now ({@link Presentation}), or nothing when the
 * teacher is not presenting (never since the start, or the class has ended). Every change is one small JSON
 * message ({@code {"type": "class", ...}}, docs/PROTOCOL.md), encoded once for every follower. It lives in
 * memory: a restart ends the class.
 */
public final class ClassChannel {
    /** The message followers get on connect and on every change. */
    public record Message(String type, boolean presenting, boolean ended, String path, Integer t, Boolean playing,
                          Double speed, long seq, long at) {
    }

    private final ObjectMapper mapper;
    private final List<Consumer<String>> followers = new CopyOnWriteArrayList<>();
    private Presentation current;
    private boolean ended;
    private long seq;
    private String text;

    public ClassChannel(ObjectMapper mapper) {
        this.mapper = mapper;
        this.text = encode();
    }

    /** The teacher shows this now; every follower is told. */
    public synchronized Message present(Presentation presentation) {
        current = presentation;
        ended = false;
        return publish();
    }

    /** The teacher stops presenting: the class has ended (until the teacher presents again). */
    public synchronized Message end() {
        boolean was = current != null;
        current = null;
        ended = ended || was;
        return publish();
    }

    public synchronized boolean presenting() {
        return current != null;
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

    private Message publish() {
        seq++;
        text = encode();
        followers.forEach(f -> f.accept(text)); // each follower only keeps it: never blocks
        return message();
    }

    private Message message() {
        Presentation p = current;
        return p == null
                ? new Message("class", false, ended, null, null, null, null, seq, System.currentTimeMillis())
                : new Message("class", true, false, p.path(), p.t(), p.playing(), p.speed(), seq,
                        System.currentTimeMillis());
    }

    private String encode() {
        try {
            return mapper.writeValueAsString(message());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a class message always serialises", e);
        }
    }
}
