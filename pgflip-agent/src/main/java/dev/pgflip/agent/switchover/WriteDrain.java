package dev.pgflip.agent.switchover;

import dev.pgflip.agent.db.NodeConnector;
import java.sql.Connection;
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
    private static final String WRITERS_IN_FLIGHT = "SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT"
            + " NULL AND pid <> pg_backend_pid() AND backend_type = 'client backend'";
    private static final long POLL_MS = 10;

    private final NodeConnector connector;

    WriteDrain(NodeConnector connector) {
        this.connector = connector;
    }

    /**
     * New transactions read-only, then waits until no client transaction holds a transaction ID, for at most
     * {@code wait}. Returns how many were still running then (0: drained).
     */
    long drain(Duration wait) throws SQLException {
        try (Connection c = connector.connectLocal(); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET default_transaction_read_only = on");
            s.execute("SELECT pg_reload_conf()");
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                long running = count(s);
                if (running == 0 || System.nanoTime() - deadline >= 0) {
                    return running;
                }
                try {
                    Thread.sleep(POLL_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return running;
                }
            }
        }
    }

    /** A CHECKPOINT, before the drain. */
    void checkpoint() throws SQLException {
        try (Connection c = connector.connectLocal(); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    /** Resets {@code default_transaction_read_only} on this node (a primary again, or a standby now). */
    void reset() throws SQLException {
        try (Connection c = connector.connectLocal(); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM RESET default_transaction_read_only");
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private static long count(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery(WRITERS_IN_FLIGHT)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
