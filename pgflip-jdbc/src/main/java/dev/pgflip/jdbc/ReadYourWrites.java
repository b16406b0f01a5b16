package dev.pgflip.jdbc;

import dev.pgflip.jdbc.internal.Cluster;
import dev.pgflip.jdbc.internal.CommitPosition;
import dev.pgflip.jdbc.internal.Deadline;
import dev.pgflip.jdbc.internal.Lease;
import dev.pgflip.jdbc.internal.RoutingConnection;
import dev.pgflip.jdbc.internal.TransactionRunner;
import dev.pgflip.jdbc.internal.WalPosition;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A session whose reads see its own writes. After each commit through {@link #inTransaction(ConnectionFunction)} it
 * keeps the writer's WAL position: its LSN and the timeline of the primary it was made on. A later
 * {@link #getReadConnection()} goes to a standby that has replayed that far on that timeline (or on a later one forked
 * off it after that point), waiting at most {@code readYourWritesTimeout} for one, and otherwise to the writer.
 * {@link #timelineToken()} carries the position across requests. Thread-safe; the position only moves forward.
 *
 * <p>A standby shows its timeline only to a user with {@code pg_read_all_stats} (e.g. through {@code pg_monitor}),
 * and a standby on a later timeline than the commit's proves it holds the commit only to a user who may read its
 * timeline history ({@code pg_read_server_files}). Where it cannot be shown, the read goes to the writer: consistent,
 * at the writer's cost.
 *
 * <pre>{@code
 * ReadYourWrites session = ds.readYourWrites(request.cookie("ryw"));   // null: a new session
 * session.inTransaction(c -> insertCountry(c, "Portugal"));
 * response.cookie("ryw", session.timelineToken());                      // e.g. 0/3000060@3
 * try (Connection r = session.getReadConnection()) { ... }              // sees Portugal
 * }</pre>
 */
public final class ReadYourWrites {
    private final Cluster cluster;
    private final TransactionRunner runner;
    private final ClusterConfig config;
    /** The data source's borrow wait: its connectionTimeout, or the login timeout set on it since. */
    private final Supplier<Duration> borrowTimeout;
    private final AtomicReference<WalPosition> position = new AtomicReference<>();
    /** Set when the LSN after a commit could not be read: reads go to the writer until the next known commit. */
    private volatile boolean writerOnly;

    ReadYourWrites(Cluster cluster, TransactionRunner runner, ClusterConfig config, Supplier<Duration> borrowTimeout,
                   String token) {
        this.cluster = cluster;
        this.runner = runner;
        this.config = config;
        this.borrowTimeout = borrowTimeout;
        if (token != null && !token.isBlank()) {
            position.set(WalPosition.parseToken(token));
        }
    }

    /**
     * The session's LSN alone (e.g. {@code 0/3000060}), or null before its first commit. Kept for callers that store
     * it; prefer {@link #timelineToken()}: a session resumed from an LSN alone cannot tell a standby that replayed the
     * commit from one that reached the same LSN on another timeline after a failover.
     */
    public String token() {
        WalPosition p = position.get();
        return p == null ? null : p.lsn().asString();
    }

    /**
     * The session's position with its timeline (e.g. {@code 0/3000060@3}: LSN 0/3000060 on timeline 3), or null before
     * its first commit; give it back to {@link ClusterDataSource#readYourWrites(String)}, which also still takes an
     * LSN alone. The timeline is left out (the LSN alone) while the session has none: resumed from an LSN-only token
     * and no commit since.
     */
    public String timelineToken() {
        WalPosition p = position.get();
        return p == null ? null : p.token();
    }

    public <T> T inTransaction(ConnectionFunction<T> work) throws SQLException {
        cluster.ensureOpen();
        return runner.run(work, this::capture);
    }

    public void inTransaction(ConnectionConsumer work) throws SQLException {
        cluster.ensureOpen();
        runner.run(c -> {
            work.accept(c);
            return null;
        }, this::capture);
    }

    private void capture(Connection c) {
        writerOnly = !CommitPosition.capture(c, position);
    }

    /** A read connection that sees this session's commits. */
    public Connection getReadConnection() throws SQLException {
        cluster.ensureOpen();
        WalPosition target = position.get();
        Deadline borrowBy = Deadline.after(borrowTimeout.get());
        if (writerOnly) {
            return bound(cluster.borrowWriter(borrowBy));
        }
        if (target == null) {
            return bound(cluster.borrowReader(borrowBy));
        }
        return bound(cluster.borrowCaughtUpReader(target, Deadline.after(config.readYourWritesTimeout()), borrowBy));
    }

    private Connection bound(Lease lease) {
        return RoutingConnection.create(readOnly -> lease, cluster, true);
    }
}
