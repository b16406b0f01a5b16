package dev.pgflip.jdbc;

import dev.pgflip.jdbc.internal.Cluster;
import dev.pgflip.jdbc.internal.Deadline;
import dev.pgflip.jdbc.internal.HostHealth;
import dev.pgflip.jdbc.internal.Lease;
import dev.pgflip.jdbc.internal.RoutingConnection;
import dev.pgflip.jdbc.internal.TransactionRunner;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.replication.LogSequenceNumber;

/**
 * A session whose reads see its own writes. After each commit through {@link #inTransaction(ConnectionFunction)} it
 * keeps the writer's WAL position (LSN); a later {@link #getReadConnection()} goes to a standby that has replayed that
 * far, waiting at most {@code readYourWritesTimeout} for one, and otherwise to the writer. {@link #token()} carries the
 * position across requests. Thread-safe; the position only moves forward.
 */
public final class ReadYourWrites {
    private static final long POLL_MS = 10;

    private final Cluster cluster;
    private final TransactionRunner runner;
    private final ClusterConfig config;
    private final AtomicReference<LogSequenceNumber> position = new AtomicReference<>();
    /** Set when the LSN after a commit could not be read: reads go to the writer until the next known commit. */
    private volatile boolean writerOnly;

    ReadYourWrites(Cluster cluster, TransactionRunner runner, ClusterConfig config, String token) {
        this.cluster = cluster;
        this.runner = runner;
        this.config = config;
        if (token != null && !token.isBlank()) {
            LogSequenceNumber lsn = LogSequenceNumber.valueOf(token.trim());
            if (lsn.equals(LogSequenceNumber.INVALID_LSN)) {
                throw new IllegalArgumentException("read-your-writes token '" + token + "' is not an LSN: expected e.g. 0/3000060");
            }
            position.set(lsn);
        }
    }

    /** The session's position (e.g. {@code 0/3000060}), or null before its first commit. */
    public String token() {
        LogSequenceNumber lsn = position.get();
        return lsn == null ? null : lsn.asString();
    }

    public <T> T inTransaction(ConnectionFunction<T> work) throws SQLException {
        return runner.run(work, this::capture);
    }

    public void inTransaction(ConnectionConsumer work) throws SQLException {
        runner.run(c -> {
            work.accept(c);
            return null;
        }, this::capture);
    }

    private void capture(Connection c) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            LogSequenceNumber lsn = LogSequenceNumber.valueOf(rs.getString(1));
            position.accumulateAndGet(lsn, (a, b) -> a == null || b.compareTo(a) > 0 ? b : a);
            writerOnly = false;
        } catch (SQLException e) {
            // The commit succeeded; only its position is unknown. Reading from the writer is always consistent.
            writerOnly = true;
        }
    }

    /** A read connection that sees this session's commits. */
    public Connection getReadConnection() throws SQLException {
        LogSequenceNumber target = position.get();
        Deadline borrowBy = Deadline.after(config.connectionTimeout());
        if (writerOnly) {
            return bound(cluster.borrowWriter(borrowBy));
        }
        if (target == null) {
            return bound(cluster.borrowReader(borrowBy));
        }
        Deadline waitBy = Deadline.after(config.readYourWritesTimeout());
        for (HostSpec host : cluster.readerOrder()) {
            Cluster.Member reader = cluster.reader(host);
            HostHealth h = reader.tracker().health();
            if (h.lsn() != null && LogSequenceNumber.valueOf(h.lsn()).compareTo(target) >= 0) {
                try {
                    return bound(reader.pool().borrow(250));
                } catch (SQLException e) {
                    cluster.reportFailure(reader.pool(), e);
                }
            }
        }
        for (HostSpec host : cluster.readerOrder()) {
            Lease lease = caughtUp(cluster.reader(host), target, waitBy);
            if (lease != null) {
                return bound(lease);
            }
        }
        return bound(cluster.borrowWriter(borrowBy));
    }

    /** Borrows from the reader and polls its replay position until it reaches {@code target}; null if it does not. */
    private Lease caughtUp(Cluster.Member reader, LogSequenceNumber target, Deadline waitBy) {
        Lease lease = null;
        try {
            lease = reader.pool().borrow(Math.max(1, Math.min(250, waitBy.remainingMillis())));
            try (PreparedStatement ps = lease.connection().prepareStatement(
                    "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
                ps.setString(1, target.asString());
                while (true) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            Lease ready = lease;
                            lease = null;
                            return ready;
                        }
                    }
                    if (waitBy.remainingMillis() < POLL_MS) {
                        return null;
                    }
                    Thread.sleep(POLL_MS);
                }
            }
        } catch (SQLException e) {
            cluster.reportFailure(reader.pool(), e);
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

    private Connection bound(Lease lease) {
        return RoutingConnection.create(readOnly -> lease, cluster, true);
    }
}
