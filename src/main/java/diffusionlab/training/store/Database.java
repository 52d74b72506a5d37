package diffusionlab.training.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * A small pool of JDBC connections to one database (HikariCP): work runs in a transaction that commits or
 * rolls back as a whole. A connection is checked before each use and one that failed is discarded, so a
 * restarted database server is picked up again by the next call.
 */
final class Database implements AutoCloseable {
    /** Work on a connection inside a transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** The writer, a few page requests and the start-up migration: more would only hold memory. */
    private static final int MAX_CONNECTIONS = 4;
    /** How long a call waits for a free connection, or for a server that does not answer, before it fails. */
    private static final long WAIT_MILLIS = 5_000;
    private static final int VALIDATION_SECONDS = 2;

    private final DatabaseTarget target;
    private final HikariDataSource pool;

    /** Connects at once: a database that cannot be opened is a {@link StoreException} saying why. */
    Database(DatabaseTarget target) {
        this.target = target;
        HikariConfig config = new HikariConfig();
        config.setPoolName("run-store");
        config.setJdbcUrl(target.jdbcUrl());
        config.setUsername(target.user());
        config.setPassword(target.password());
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(WAIT_MILLIS);
        config.setValidationTimeout(VALIDATION_SECONDS * 1000L);
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw e.getCause() instanceof SQLException cause
                    ? new StoreException("could not open " + target + ": " + StoreFaults.describe(cause), cause)
                    : new StoreException("could not open " + target + ": " + e.getMessage(), e);
        }
    }

    DatabaseTarget target() {
        return target;
    }

    /** The pool itself, for the schema migration. */
    DataSource dataSource() {
        return pool;
    }

    /** Runs work in one transaction: all of it is committed, or on any error none of it. */
    <T> T transaction(Work<T> work) {
        Connection c = borrow();
        boolean healthy = false;
        try {
            c.setAutoCommit(false);
            T result = work.run(c);
            c.commit();
            healthy = true;
            return result;
        } catch (SQLException e) {
            throw new StoreException(StoreFaults.describe(e), e);
        } finally {
            if (healthy) {
                closeQuietly(c);
            } else {
                rollbackQuietly(c);
                pool.evictConnection(c); // closes it, for good
            }
        }
    }

    /**
     * A connection that works. The pool checks only connections idle for more than half a second, so one
     * used just before the server restarted would fail this call: it is checked here too, and when it is
     * dead, so are the others, and the pool starts afresh.
     */
    private Connection borrow() {
        if (pool.isClosed()) {
            throw new StoreException("the store is closed");
        }
        try {
            Connection c = pool.getConnection();
            if (c.isValid(VALIDATION_SECONDS)) {
                return c;
            }
            pool.evictConnection(c);
            pool.getHikariPoolMXBean().softEvictConnections();
            return pool.getConnection();
        } catch (SQLException e) {
            throw new StoreException("could not open " + target + ": " + StoreFaults.describe(e), e);
        }
    }

    /** Closes the connections, each borrowed one when it comes back (H2 then closes its file). */
    @Override
    public void close() {
        pool.close();
    }

    /**
     * Ends the pool's sessions from outside, as a restarted database server would (for tests of reconnecting):
     * the pooled connections stay in the pool, dead.
     */
    void dropConnections() throws SQLException {
        String sql = target.isH2()
                ? "SELECT ABORT_SESSION(SESSION_ID) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()"
                : "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND pid <> pg_backend_pid()";
        try (Connection outside = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             Statement s = outside.createStatement()) {
            s.execute(sql);
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
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to do
        }
    }
}
