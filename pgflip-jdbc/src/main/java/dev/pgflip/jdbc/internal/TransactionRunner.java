package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.AmbiguousCommitException;
import dev.pgflip.jdbc.ConnectionConsumer;
import dev.pgflip.jdbc.ConnectionFunction;
import dev.pgflip.jdbc.internal.FailureClassifier.Failure;
import dev.pgflip.jdbc.internal.RetryPolicy.Ambiguous;
import dev.pgflip.jdbc.internal.RetryPolicy.Decision;
import dev.pgflip.jdbc.internal.RetryPolicy.GiveUp;
import dev.pgflip.jdbc.internal.RetryPolicy.Retry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of work in one writer transaction, again on a fresh connection when the connection fails before COMMIT,
 * never past the retry deadline, and never again once COMMIT was sent (that failure is ambiguous).
 */
public final class TransactionRunner {
    private static final Logger log = LoggerFactory.getLogger(TransactionRunner.class);

    private final Function<Deadline, Connection> writerConnections;
    private final Duration retryDeadline;
    private final ClusterMetrics metrics;

    public TransactionRunner(Function<Deadline, Connection> writerConnections, Duration retryDeadline,
                             ClusterMetrics metrics) {
        this.writerConnections = writerConnections;
        this.retryDeadline = retryDeadline;
        this.metrics = metrics;
    }

    /** Runs {@code work}; {@code afterCommit} (may be null) then runs on the same connection. */
    public <T> T run(ConnectionFunction<T> work, ConnectionConsumer afterCommit) throws SQLException {
        Deadline deadline = Deadline.after(retryDeadline);
        for (int attempt = 1; ; attempt++) {
            boolean committing = false;
            Connection c = writerConnections.apply(deadline);
            try {
                c.setAutoCommit(false);
                T result = work.apply(c);
                committing = true;
                c.commit();
                committing = false;
                if (afterCommit != null) {
                    afterCommit.accept(c);
                }
                return result;
            } catch (SQLException e) {
                if (!committing) {
                    rollbackQuietly(c, e);
                }
                Failure failure = FailureClassifier.classify(e);
                Decision decision = RetryPolicy.decide(failure, committing, attempt, deadline.remainingNanos());
                if (decision instanceof Retry retry) {
                    metrics.retry();
                    log.debug("pgflip retry attempt={} after={} delay_ms={}", attempt, failure, retry.delay().toMillis());
                    sleep(retry.delay(), e);
                } else if (decision instanceof Ambiguous) {
                    metrics.ambiguousCommit();
                    throw new AmbiguousCommitException(host(c), e);
                } else if (failure != Failure.OTHER && failure != Failure.CLOSED) {
                    throw new SQLTransientConnectionException("pgflip: transaction not done after " + attempt
                            + " attempt(s) within " + retryDeadline.toMillis() + " ms: " + ((GiveUp) decision).reason(),
                            e.getSQLState(), e);
                } else {
                    throw e;
                }
            } catch (RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                closeQuietly(c);
            }
        }
    }

    private static String host(Connection c) {
        Lease lease = c instanceof RoutingConnection.Routed r ? r.lease() : null;
        return lease == null ? "the writer" : lease.pool().host().toString();
    }

    private static void sleep(Duration d, SQLException cause) throws SQLException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("pgflip: interrupted before retrying", "08001", cause);
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            if (!c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // Returning a broken connection to its pool fails; the pool has already discarded it.
        }
    }
}
