package diffusionlab.web.live;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one socket's messages with back-pressure: a shared sender pool takes the next text from {@code next}
 * and hands it to Jetty's asynchronous send, and only when Jetty reports it written is the next one taken. A slow
 * socket therefore holds one message in flight, and whatever its source keeps waiting (the run viewer's
 * {@link Outbox}, the class follower's newest state) is bounded by that source, never by this sender.
 */
final class SocketSender {
    private static final Logger LOG = LoggerFactory.getLogger(SocketSender.class);

    private final Session session;
    private final Executor sender;
    private final BooleanSupplier hasNext;
    private final Supplier<String> next;
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean closed;

    /** {@code next} gives the next text or null when there is none; {@code hasNext} says cheaply if there may be one. */
    SocketSender(Session session, Executor sender, BooleanSupplier hasNext, Supplier<String> next) {
        this.session = session;
        this.sender = sender;
        this.hasNext = hasNext;
        this.next = next;
    }

    /** Starts sending if a message waits and none is in flight; call it after each new message. */
    void pump() {
        if (!closed && hasNext.getAsBoolean() && sending.compareAndSet(false, true)) {
            try {
                sender.execute(this::sendNext);
            } catch (RejectedExecutionException e) { // the server is stopping
                closed = true;
            }
        }
    }

    void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    long sent() {
        return sent.get();
    }

    /** 1 while a message is handed to Jetty and not yet written, else 0. */
    int inFlight() {
        return sending.get() ? 1 : 0;
    }

    private void sendNext() {
        String text;
        try {
            text = closed ? null : next.get();
        } catch (RuntimeException e) { // a message that cannot be encoded is a bug; never let it stall the socket
            LOG.warn("live message not sent: {}", e.toString());
            sending.set(false);
            pump();
            return;
        }
        if (text == null) {
            sending.set(false);
            pump(); // a message may have arrived after next found nothing
            return;
        }
        try {
            session.getRemote().sendString(text, new WriteCallback() {
                @Override
                public void writeSuccess() {
                    sent.incrementAndGet();
                    continueOnPool();
                }

                @Override
                public void writeFailed(Throwable failure) {
                    closed = true;
                    sending.set(false);
                    LOG.debug("live socket dropped: {}", failure.toString());
                }
            });
        } catch (RuntimeException e) {
            closed = true;
            sending.set(false);
            LOG.debug("live socket dropped: {}", e.toString());
        }
    }

    /** Continues on the sender pool (never inside Jetty's callback, which may run on the caller's stack). */
    private void continueOnPool() {
        try {
            sender.execute(this::sendNext);
        } catch (RejectedExecutionException e) {
            closed = true;
        }
    }
}
