package dev.pgflip.agent.switchover;

import dev.pgflip.agent.db.NodeConnector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Lets the primary's write transactions finish before its clean stop, which would abort them: the client could then
 * not know whether a commit in flight took effect. New transactions become read-only
 * ({@code default_transaction_read_only}, so pgflip-jdbc's writer probe sees the primary read-only and holds new
 * writes, and a write already borrowed fails with 25006, which it retries), and the stop waits, bounded, until no
 * transaction holding a transaction ID is left. The setting is kept in postgresql.auto.conf, so it must be reset once
 * the node runs again, whichever role it comes back in: a node promoted later would otherwise come up read-only.
 */
final class WriteDrain {
    /**
     * Client transactions that began before new ones became read-only (plus a margin for the reload to reach every
     * backend): only they may still write. A transaction's own xid is no guide: one that has begun but not written yet
     * has none, and its INSERT would then run read-write (seen in the drill: a COMMIT cut by the stop).
     */
    private static final String OPEN_SINCE_BEFORE = "SELECT count(*) FROM pg_stat_activity WHERE backend_type ="
            + " 'client backend' AND pid <> pg_backend_pid() AND xact_start < ?::timestamptz + interval '100 ms'";
    private static final long POLL_MS = 10;
    /** The reload reaches every backend within this (a signal each); the query's interval is the same. */
    private static final long RELOAD_MARGIN_MS = 100;

    private final NodeConnector connector;

    WriteDrain(NodeConnector connector) {
        this.connector = connector;
    }

    /**
     * A CHECKPOINT while writes still flow (the shutdown checkpoint then has little left to write), then new
     * transactions read-only, then waits until no client transaction begun before that is left, for at most
     * {@code wait}; one session for both, so no connection is opened once writes are held. Returns how many were still
     * open then (0: drained).
     *
     * @param checkpointed told when the CHECKPOINT is done, before the drain begins
     */
    long checkpointAndDrain(Duration wait, Runnable checkpointed) throws SQLException {
        try (Connection c = connector.connectLocal(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
            checkpointed.run();
            s.execute("ALTER SYSTEM SET default_transaction_read_only = on");
            String reloaded;
            try (ResultSet rs = s.executeQuery("SELECT pg_reload_conf(), clock_timestamp()::text")) {
                rs.next();
                reloaded = rs.getString(2);
            }
            long deadline = System.nanoTime() + wait.toNanos();
            try (PreparedStatement open = c.prepareStatement(OPEN_SINCE_BEFORE)) {
                open.setString(1, reloaded);
                return awaitNone(open, deadline);
            }
        }
    }

    /** Polls until none is open, but not before the margin has passed: a backend may not have reloaded yet. */
    private static long awaitNone(PreparedStatement open, long deadline) throws SQLException {
        try {
            Thread.sleep(RELOAD_MARGIN_MS);
            while (true) {
                long running = count(open);
                if (running == 0 || System.nanoTime() - deadline >= 0) {
                    return running;
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return count(open);
        }
    }

    /** Resets {@code default_transaction_read_only} on this node (a primary again, or a standby now). */
    void reset() throws SQLException {
        try (Connection c = connector.connectLocal(); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM RESET default_transaction_read_only");
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private static long count(PreparedStatement open) throws SQLException {
        try (ResultSet rs = open.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
