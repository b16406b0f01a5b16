package dev.pgflip.jdbc.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Where a read-your-writes session's last commit left the writer's WAL: read on the writer's connection right after
 * the commit, and kept only if it is later than the session's position (a commit that finished after another one may
 * report its position first, and a token may have resumed the session further on).
 */
public final class CommitPosition {
    /** The writer's current LSN, and its timeline: a commit's WAL is at or before it. */
    static final String QUERY = "SELECT pg_current_wal_lsn()::text, " + WalPosition.TIMELINE_SQL;

    private CommitPosition() {
    }

    /**
     * Moves {@code session} forward to where the writer is after a commit on {@code writer}; thread-safe.
     *
     * @return false if that could not be read: the commit is done but its position is unknown, so only the writer is
     *     known to hold it (the session is left where it was)
     */
    public static boolean capture(Connection writer, AtomicReference<WalPosition> session) {
        try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            rs.next();
            WalPosition committed = new WalPosition(rs.getLong(2), LogSequenceNumber.valueOf(rs.getString(1)));
            session.accumulateAndGet(committed, WalPosition::later);
            return true;
        } catch (SQLException e) {
            // Not rethrown: the commit succeeded, and failing it now would make the caller redo or doubt it.
            return false;
        }
    }
}
