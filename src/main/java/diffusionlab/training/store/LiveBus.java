package diffusionlab.training.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears what other processes announce on some channels ({@link LiveNotice#LIVE}, {@link LiveNotice#RUNS}) on a PostgreSQL
 * connection of its own, outside the pool, from a thread of its own. The first connection is made in
 * {@link #start}, so that whatever the caller reads from the store afterwards is continued by the notices with
 * nothing missing. A lost connection is made again (0.25 s, doubling to 2 s); notices sent meanwhile are lost,
 * so the listener is told {@link Listener#reconnected} and catches up from the store.
 */
public final class LiveBus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveBus.class);
    private static final int POLL_MILLIS = 250;

    /** Called on the bus's thread: must hand slow work (reading the store) to another thread. */
    public interface Listener {
        void notice(String channel, String payload);

        /** The bus was cut off and is listening again: notices may have been missed. */
        void reconnected();
    }

    private final DatabaseTarget target;
    private final List<String> channels;
    private final Listener listener;
    private final Thread thread;
    private volatile Connection connection;
    private volatile boolean closed;
    private volatile boolean connected;

    LiveBus(DatabaseTarget target, List<String> channels, Listener listener) {
        this.target = target;
        this.channels = List.copyOf(channels);
        this.listener = listener;
        this.thread = new Thread(this::loop, "live-bus");
        thread.setDaemon(true);
    }

    /** Connects and listens (a {@link StoreException} when it cannot), then hears notices on its thread. */
    public LiveBus start() {
        try {
            connection = connect();
        } catch (SQLException e) {
            throw new StoreException("could not listen on " + target + ": " + StoreFaults.describe(e), e);
        }
        connected = true;
        thread.start();
        return this;
    }

    /** Whether the bus is listening now (false while it reconnects). */
    public boolean connected() {
        return connected;
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        if (target.user() != null) {
            props.setProperty("user", target.user());
        }
        if (target.password() != null) {
            props.setProperty("password", target.password());
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("tcpKeepAlive", "true");
        Connection c = DriverManager.getConnection(target.jdbcUrl(), props);
        try (Statement s = c.createStatement()) {
            for (String channel : channels) {
                s.execute("LISTEN " + channel);
            }
        }
        return c;
    }

    private void loop() {
        long backoff = POLL_MILLIS;
        while (!closed) {
            try {
                if (connection == null) {
                    connection = connect();
                    connected = true;
                    backoff = POLL_MILLIS;
                    LOG.info("listening to the other processes again");
                    listener.reconnected();
                }
                PGNotification[] notices = connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                if (notices == null) {
                    continue;
                }
                for (PGNotification n : notices) {
                    try {
                        listener.notice(n.getName(), n.getParameter());
                    } catch (RuntimeException e) {
                        LOG.warn("could not apply a notice on {} ({}): {}", n.getName(), e.getMessage(), n.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                if (connected) {
                    LOG.warn("lost the connection that hears the other processes ({}); reconnecting",
                            StoreFaults.describe(e));
                }
                connected = false;
                closeQuietly();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(2_000, backoff * 2);
            }
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // gone already
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }
}
