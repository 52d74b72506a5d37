package diffusionlab.web.live;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One browser following the teacher ({@code /class/live}). Each class message replaces the one not sent yet: a
 * follower only needs the teacher's newest state, so a slow one holds one message in flight and one waiting.
 */
final class ClassFollower implements Consumer<String> {
    private final AtomicReference<String> newest = new AtomicReference<>();
    private final SocketSender socket;

    ClassFollower(Session session, Executor sender) {
        this.socket = new SocketSender(session, sender, () -> newest.get() != null, () -> newest.getAndSet(null));
    }

    /** The channel's newest message (called under the channel's lock: it only keeps it and wakes the sender). */
    @Override
    public void accept(String message) {
        if (!socket.closed()) {
            newest.set(message);
            socket.pump();
        }
    }

    void close() {
        socket.close();
    }
}
