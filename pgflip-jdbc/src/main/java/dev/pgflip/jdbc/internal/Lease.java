package dev.pgflip.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One pooled connection lent to a caller, remembered by its pool until returned. */
public final class Lease implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lease.class);
    private final HostPool pool;
    private final Connection connection;
    /** The pool generation it came from, which stays open until it is returned; null for a test's lease. */
    private final HostPool.Generation generation;

    Lease(HostPool pool, Connection connection) {
        this(pool, connection, null);
    }

    Lease(HostPool pool, Connection connection, HostPool.Generation generation) {
        this.pool = pool;
        this.connection = connection;
        this.generation = generation;
    }

    /** Null for a test's lease (no allocation on the borrow path for an Optional). */
    HostPool.Generation generation() {
        return generation;
    }

    public HostPool pool() {
        return pool;
    }

    public Connection connection() {
        return connection;
    }

    /** Closes the socket under the caller (pgjdbc's abort closes it at once); false if it was already closed. */
    boolean abort() {
        try {
            if (connection.isClosed()) {
                return false;
            }
            connection.abort(Runnable::run);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Returns the connection. HikariCP throws a NullPointerException ("connection" is null, from its state reset) when
     * the pool entry under the proxy was already closed: the pool shut down or the connection evicted while it was
     * lent, as a failover does. Seen in the kill drill: a write that had committed was reported failed with it. The
     * connection is gone either way, so that is no failure of the caller's work.
     */
    @Override
    public void close() throws SQLException {
        pool.returned(this);
        try {
            connection.close();
        } catch (NullPointerException closedUnderTheLease) {
            log.debug("pgflip {}: the pool had already closed this connection ({})", pool,
                    closedUnderTheLease.getMessage());
        }
    }
}
