package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.PoolStatus;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One generation of a {@link HostPool}'s connection pool (a HikariCP pool in production), seen only through what the
 * HostPool asks of it. Made by a {@link PoolFactory}; tests give fakes, so the pool logic runs without a server.
 */
public interface ConnectionSource {

    /** A connection, waiting at most {@code timeoutMillis} for one. */
    Connection connection(long timeoutMillis) throws SQLException;

    /**
     * Drops every idle connection now and marks in-use ones to be closed when returned (HikariCP soft eviction);
     * false when the pool is not running, so there was nothing to evict.
     */
    boolean evictIdle();

    /** The name the pool was given (the HostPool's, for every generation). */
    String poolName();

    /** Its connections now; a pool that counts nothing (a test's fake) reports zeros. */
    default PoolStatus status() {
        return new PoolStatus(poolName(), 0, 0, 0, 0);
    }

    /** Callers waiting for a connection now (HikariCP's threadsAwaitingConnection); a fake reports 0. */
    default int threadsAwaiting() {
        return 0;
    }

    /** Closes the pool, aborting what it still has lent. */
    void close();
}
