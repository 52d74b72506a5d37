package diffusionlab.training.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;

/**
 * A few JDBC connections to one database, each used by one thread at a time: work runs in a transaction
 * that commits or rolls back as a whole. A connection that failed is closed and the next call opens a new
 * one, so a restarted database server is picked up again by the next write.
 */
final class Database implements AutoCloseable {
    /** Work on a connection inside a transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final int MAX_IDLE = 4;

    private final DatabaseTarget target;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    Database(DatabaseTarget target) {
        this.target = target;
    }

    DatabaseTarget target() {
        return target;
    }

    /** Runs work in one transaction: all of it is committed, or on any error none of it. */
    <T> T transaction(Work<T> work) {
        Connection c = borrow();
        boolean healthy = true;
        try {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException e) {
            healthy = false;
            rollbackQuietly(c);
            throw new StoreException(StoreFaults.describe(e), e);
        } catch (RuntimeException | Error e) {
            healthy = false;
            rollbackQuietly(c);
            throw e;
        } finally {
            release(c, healthy);
        }
    }

    private Connection borrow() {
        Connection c;
        synchronized (this) {
            if (closed) {
                throw new StoreException("the store is closed");
            }
            c = idle.pollFirst();
        }
        try {
            if (c != null && c.isValid(2)) {
                return c;
            }
            closeQuietly(c);
            Properties props = new Properties();
            if (target.user() != null) {
                props.setProperty("user", target.user());
            }
            if (target.password() != null) {
                props.setProperty("password", target.password());
            }
            return DriverManager.getConnection(target.jdbcUrl(), props);
        } catch (SQLException e) {
            throw new StoreException("could not open " + target + ": " + StoreFaults.describe(e), e);
        }
    }

    private void release(Connection c, boolean healthy) {
        synchronized (this) {
            if (healthy && !closed && idle.size() < MAX_IDLE) {
                idle.addFirst(c);
                return;
            }
        }
        closeQuietly(c);
    }

    /** Closes every idle connection, then each borrowed one when it comes back (H2 then closes its file). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            idle.forEach(Database::closeQuietly);
            idle.clear();
        }
    }

    /** Closes the idle connections as if the server had dropped them (for tests of reconnecting). */
    void dropIdleConnections() {
        synchronized (this) {
            idle.forEach(Database::closeQuietly);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is discarded anyway
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to do
        }
    }
}
