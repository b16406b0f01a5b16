package dev.pgflip.jdbc.internal;

import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A write route through one pool, with the re-check and failure report that the cluster supplies for its host. */
final class PoolRoute implements WriterLending.Route<Lease> {
    private static final Logger log = LoggerFactory.getLogger(PoolRoute.class);

    private final HostPool pool;
    private final BooleanSupplier stillWritable;
    private final Consumer<SQLException> failed;
    private final long maxWaitMillis;

    PoolRoute(HostPool pool, BooleanSupplier stillWritable, Consumer<SQLException> failed) {
        this(pool, stillWritable, failed, Long.MAX_VALUE);
    }

    /** @param maxWaitMillis the longest one borrow may wait inside HikariCP before the route is decided again */
    PoolRoute(HostPool pool, BooleanSupplier stillWritable, Consumer<SQLException> failed, long maxWaitMillis) {
        this.pool = pool;
        this.stillWritable = stillWritable;
        this.failed = failed;
        this.maxWaitMillis = maxWaitMillis;
    }

    @Override
    public Lease borrow(long timeoutMillis) throws SQLException {
        long wait = Math.min(timeoutMillis, maxWaitMillis);
        if (!log.isDebugEnabled()) {
            return pool.borrow(wait);
        }
        long start = System.nanoTime();
        try {
            return pool.borrow(wait);
        } finally {
            log.debug("pgflip writer borrow from {} took {} ms", pool, (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Override
    public String toString() {
        return pool.toString();
    }

    @Override
    public boolean stillWritable() {
        return stillWritable.getAsBoolean();
    }

    @Override
    public void discard(Lease lease) {
        log.info("pgflip host={} stopped taking writes while a connection was borrowed for one: routing again",
                pool.host());
        try {
            lease.close();
        } catch (SQLException e) {
            // Nothing ran on it; a pool that cannot take it back discards it, which is what we want anyway.
            log.debug("pgflip host={} discarded connection did not close cleanly: {}", pool.host(), e.toString());
        }
    }

    @Override
    public void failed(SQLException failure) {
        failed.accept(failure);
    }
}
