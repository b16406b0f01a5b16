package dev.pgflip.spring;

import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.RetryRule;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@link ClusterDataSource#inTransaction} for Spring: runs a unit of work in a transaction of the application's
 * transaction manager (JPA or JDBC) and, when its connection fails before COMMIT (the primary was killed, the
 * floating IP moved), runs it again in a fresh transaction, which pgflip routes to the new primary. Never again once
 * COMMIT was sent: a lost connection then throws {@link CommitOutcomeUnknownException}. No attempt starts after
 * {@code pgflip.retry-deadline} (10 s by default); the caller's own errors (constraint violations, bad SQL) are
 * thrown at once.
 *
 * <pre>{@code
 * Country saved = transactions.inTransaction(status -> repository.save(new Country("Portugal", true)));
 * }</pre>
 *
 * <p>The unit of work must be safe to run again up to its commit: keep side effects outside the database (e-mails,
 * messages) after it. Called inside a transaction that is already active, it joins that transaction and does not
 * retry: the outer transaction owns the connection that failed.
 */
public final class FailoverTransactions {
    private static final Logger log = LoggerFactory.getLogger(FailoverTransactions.class);

    private final PlatformTransactionManager transactionManager;
    private final Duration retryDeadline;

    public FailoverTransactions(PlatformTransactionManager transactionManager, Duration retryDeadline) {
        this.transactionManager = transactionManager;
        this.retryDeadline = retryDeadline;
    }

    /** A read-write transaction on the writer, retried on failover before COMMIT. */
    public <T> T inTransaction(TransactionCallback<T> work) {
        return run(new DefaultTransactionDefinition(), work);
    }

    /** A read-only transaction (routed to a standby), retried on another reader or the writer if its host fails. */
    public <T> T inReadOnlyTransaction(TransactionCallback<T> work) {
        DefaultTransactionDefinition readOnly = new DefaultTransactionDefinition();
        readOnly.setReadOnly(true);
        return run(readOnly, work);
    }

    private <T> T run(TransactionDefinition definition, TransactionCallback<T> work) {
        boolean retries = !TransactionSynchronizationManager.isActualTransactionActive();
        long deadline = System.nanoTime() + retryDeadline.toNanos();
        for (int attempt = 1; ; attempt++) {
            TransactionStatus status = null;
            T result;
            try {
                status = transactionManager.getTransaction(definition);
                result = work.doInTransaction(status);
            } catch (RuntimeException e) {
                rollbackQuietly(status, e);
                Optional<Duration> pause = retries
                        ? RetryRule.retryAfter(e, attempt, Duration.ofNanos(deadline - System.nanoTime()))
                        : Optional.empty();
                if (pause.isEmpty()) {
                    throw e;
                }
                log.info("pgflip retry attempt={} pause_ms={} after={}", attempt, pause.get().toMillis(), describe(e));
                sleep(pause.get(), e);
                continue;
            } catch (Error e) {
                rollbackQuietly(status, e);
                throw e;
            }
            commit(status, retries);
            return result;
        }
    }

    private void commit(TransactionStatus status, boolean ownTransaction) {
        try {
            transactionManager.commit(status);
        } catch (RuntimeException e) {
            if (ownTransaction && RetryRule.commitOutcomeUnknown(e)) {
                throw new CommitOutcomeUnknownException(e);
            }
            throw e;
        }
    }

    private void rollbackQuietly(TransactionStatus status, Throwable cause) {
        if (status == null || status.isCompleted()) {
            return;
        }
        try {
            transactionManager.rollback(status);
        } catch (RuntimeException e) {
            // Rolling back on a dead connection fails too; the server discards the transaction with the session.
            cause.addSuppressed(e);
        }
    }

    private static void sleep(Duration pause, RuntimeException cause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            cause.addSuppressed(ie);
            throw cause;
        }
    }

    /** The driver's error when there is one (its SQLState says what happened), else the innermost cause. */
    private static String describe(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return "SQLState " + sql.getSQLState() + ": " + sql.getMessage();
            }
            root = t;
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
