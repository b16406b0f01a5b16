package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;
import dev.pgflip.jdbc.ReadYourWrites;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Supplier;
import org.postgresql.replication.LogSequenceNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lends reader connections in the order {@link ReadRouter} decides: any usable reader, or one that holds a session's
 * last commit (asking a reader where it is when its last probe does not show it); the writer when no reader lends.
 */
final class ReaderLending {
    /** ReadYourWrites' logger: these lines were logged there before this class was split out of it. */
    private static final Logger log = LoggerFactory.getLogger(ReadYourWrites.class);
    /** The longest one reader may keep a read waiting for a connection before the next one is tried. */
    private static final long READER_SLICE_MS = 250;
    private static final long POLL_MS = 10;

    private final Cluster cluster;
    private final Map<HostSpec, HostMember> readers;
    private final ReadRouter router;
    private final Supplier<ClusterView> views;

    ReaderLending(Cluster cluster, Map<HostSpec, HostMember> readers, ReadRouter router,
                  Supplier<ClusterView> views) {
        this.cluster = cluster;
        this.readers = readers;
        this.router = router;
        this.views = views;
    }

    /** A connection from the first reader in order that lends one within its slice, else from the writer. */
    Lease borrow(Deadline deadline) throws SQLException {
        for (HostSpec host : router.order(views.get())) {
            HostPool pool = readers.get(host).pool();
            try {
                return pool.borrow(Math.min(READER_SLICE_MS, Math.max(1, deadline.remainingMillis())));
            } catch (SQLException e) {
                cluster.reportFailure(pool, e);
            }
        }
        return cluster.borrowWriter(deadline);
    }

    /**
     * A connection on a reader that holds {@code commit}: first one whose last probe shows it, else one that gets
     * there by {@code waitBy} (asked every 10 ms), else the writer (waiting for it until {@code borrowBy}).
     */
    Lease caughtUp(WalPosition commit, Deadline waitBy, Deadline borrowBy) throws SQLException {
        for (HostSpec host : router.caughtUp(views.get(), commit)) {
            HostPool pool = readers.get(host).pool();
            try {
                return pool.borrow(READER_SLICE_MS);
            } catch (SQLException e) {
                cluster.reportFailure(pool, e);
            }
        }
        for (HostSpec host : router.order(views.get())) {
            Lease lease = polled(readers.get(host).pool(), commit, waitBy);
            if (lease != null) {
                return lease;
            }
        }
        return cluster.borrowWriter(borrowBy);
    }

    /** Borrows from the reader and polls its position until it holds {@code commit}; null if it does not. */
    private Lease polled(HostPool pool, WalPosition commit, Deadline waitBy) {
        Lease lease = null;
        try {
            lease = pool.borrow(Math.max(1, Math.min(READER_SLICE_MS, waitBy.remainingMillis())));
            TimelineHistory history = null;
            try (PreparedStatement ps = lease.connection().prepareStatement(WalPosition.QUERY)) {
                while (true) {
                    WalPosition at;
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        String lsn = rs.getString(1);
                        at = new WalPosition(rs.getLong(2), lsn == null ? null : LogSequenceNumber.valueOf(lsn));
                    }
                    if (CatchUp.needsHistory(commit, at) && (history == null || history.timeline() != at.timeline())) {
                        history = history(lease.connection(), at.timeline(), pool.host());
                    }
                    CatchUp.Verdict verdict = CatchUp.verdict(commit, at, history);
                    if (verdict == CatchUp.Verdict.CAUGHT_UP) {
                        Lease ready = lease;
                        lease = null;
                        return ready;
                    }
                    if (verdict == CatchUp.Verdict.NEVER || waitBy.remainingMillis() < POLL_MS) {
                        return null;
                    }
                    Thread.sleep(POLL_MS);
                }
            }
        } catch (SQLException e) {
            cluster.reportFailure(pool, e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (lease != null) {
                try {
                    lease.close();
                } catch (SQLException ignored) {
                    // The pool discards a connection it cannot take back.
                }
            }
        }
    }

    /**
     * The reader's timeline history, or null if it cannot be read: {@code pg_read_file} needs superuser or
     * {@code pg_read_server_files}. Null makes the reader not caught up (the read goes to the writer), which is what
     * we want when we cannot show where its timeline forked.
     */
    private static TimelineHistory history(Connection c, long timeline, HostSpec host) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_read_file(?)")) {
            ps.setString(1, TimelineHistory.fileName(timeline));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return TimelineHistory.parse(timeline, rs.getString(1));
            }
        } catch (SQLException | IllegalArgumentException e) {
            log.debug("pgflip host={} timeline {} history not readable, reads that need it go to the writer: {}",
                    host, timeline, e.toString());
            return null;
        }
    }
}
