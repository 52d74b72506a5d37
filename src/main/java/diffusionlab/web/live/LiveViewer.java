package diffusionlab.web.live;

import diffusionlab.training.RunEvent;
import diffusionlab.training.RunListener;
import diffusionlab.training.RunSnapshot;
import diffusionlab.web.wire.WireFormat;
import java.util.concurrent.Executor;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One browser watching one run. The run's threads only drop events into this viewer's {@link Outbox};
 * its {@link SocketSender} packs the next message on a shared sender pool and hands it to Jetty's asynchronous
 * send, and only when Jetty reports it written is the next one taken. A slow viewer therefore holds at most one message in
 * flight plus the newest of each kind, never slows the run, and never delays the other viewers.
 */
final class LiveViewer implements RunListener {
    private final Outbox outbox = new Outbox();
    private final SocketSender socket;

    LiveViewer(Session session, WireFormat wire, Executor sender) {
        this(session, new SharedEncoding(wire), sender);
    }

    LiveViewer(Session session, SharedEncoding encoding, Executor sender) {
        this.socket = new SocketSender(session, sender, outbox::hasNext, () -> outbox.pollText(encoding));
    }

    /** Queues the snapshot the increments continue from, and starts sending. */
    void start(RunSnapshot snapshot) {
        outbox.start(snapshot);
        socket.pump();
    }

    @Override
    public void onEvent(RunEvent event) {
        if (!socket.closed()) {
            outbox.offer(event);
            socket.pump();
        }
    }

    void close() {
        socket.close();
    }

    long sent() {
        return socket.sent();
    }

    long dropped() {
        return outbox.dropped();
    }

    int pendingPoints() {
        return outbox.pendingPoints();
    }

    int pendingMessages() {
        return outbox.pendingMessages();
    }

    /** 1 while a message is handed to Jetty and not yet written, else 0. */
    int inFlight() {
        return socket.inFlight();
    }
}
