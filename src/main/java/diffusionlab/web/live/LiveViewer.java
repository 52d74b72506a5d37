package diffusionlab.web.live;

import diffusionlab.training.RunEvent;
import diffusionlab.training.RunListener;
import diffusionlab.training.RunSnapshot;
import diffusionlab.web.wire.WireFormat;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser watching one run. The run's threads only drop events into this viewer's {@link Outbox};
 * a shared sender pool packs the next message and hands it to Jetty's asynchronous send, and only when
 * Jetty reports it written is the next one taken. A slow viewer therefore holds at most one message in
 * flight plus the newest of each kind, never slows the run, and never delays the other viewers.
 */
final class LiveViewer implements RunListener {
    private static final Logger LOG = LoggerFactory.getLogger(LiveViewer.class);

    private final Session session;
    private final SharedEncoding encoding;
    private final Executor sender;
    private final Outbox outbox = new Outbox();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean closed;

    LiveViewer(Session session, WireFormat wire, Executor sender) {
        this(session, new SharedEncoding(wire), sender);
    }

    LiveViewer(Session session, SharedEncoding encoding, Executor sender) {
        this.session = session;
        this.encoding = encoding;
        this.sender = sender;
    }

    /** Queues the snapshot the increments continue from, and starts sending. */
    void start(RunSnapshot snapshot) {
        outbox.start(snapshot);
        pump();
    }

    @Override
    public void onEvent(RunEvent event) {
        if (!closed) {
            outbox.offer(event);
            pump();
        }
    }

    void close() {
        closed = true;
    }

    long sent() {
        return sent.get();
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
        return sending.get() ? 1 : 0;
    }

    private void pump() {
        if (!closed && outbox.hasNext() && sending.compareAndSet(false, true)) {
            try {
                sender.execute(this::sendNext);
            } catch (RejectedExecutionException e) { // the server is stopping
                closed = true;
            }
        }
    }

    private void sendNext() {
        String text;
        try {
            text = closed ? null : outbox.pollText(encoding);
        } catch (RuntimeException e) { // a message that cannot be encoded is a bug; never let it stall the viewer
            LOG.warn("live message not sent: {}", e.toString());
            sending.set(false);
            pump();
            return;
        }
        if (text == null) {
            sending.set(false);
            pump(); // an event may have arrived after poll found nothing
            return;
        }
        try {
            session.getRemote().sendString(text, new WriteCallback() {
                @Override
                public void writeSuccess() {
                    sent.incrementAndGet();
                    next();
                }

                @Override
                public void writeFailed(Throwable failure) {
                    closed = true;
                    sending.set(false);
                    LOG.debug("live viewer dropped: {}", failure.toString());
                }
            });
        } catch (RuntimeException e) {
            closed = true;
            sending.set(false);
            LOG.debug("live viewer dropped: {}", e.toString());
        }
    }

    /** Continues on the sender pool (never inside Jetty's callback, which may run on the caller's stack). */
    private void next() {
        try {
            sender.execute(this::sendNext);
        } catch (RejectedExecutionException e) {
            closed = true;
        }
    }
}
