package dev.pgflip.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class FailoverTransactionsTest {

    /** Records what the retry loop asks of a transaction manager; COMMIT fails while {@code commitFailure} is set. */
    static final class RecordingTransactionManager implements PlatformTransactionManager {
        final List<String> calls = new ArrayList<>();
        RuntimeException commitFailure;

        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
            calls.add(definition.isReadOnly() ? "begin read-only" : "begin");
            return new SimpleTransactionStatus(true);
        }

        @Override
        public void commit(TransactionStatus status) {
            calls.add("commit");
            if (commitFailure != null) {
                throw commitFailure;
            }
        }

        @Override
        public void rollback(TransactionStatus status) {
            calls.add("rollback");
        }
    }

    private final RecordingTransactionManager tm = new RecordingTransactionManager();
    private final FailoverTransactions transactions = new FailoverTransactions(tm, Duration.ofSeconds(5));

    /** How Spring Data hands over a connection lost under Hibernate: translated, the driver's error at the bottom. */
    private static RuntimeException connectionLost() {
        return new DataAccessResourceFailureException("could not execute statement",
                new SQLException("An I/O error occurred while sending to the backend", "08006"));
    }

    @Test
    void aUnitOfWorkWhoseConnectionFailsBeforeCommitRunsAgainInAFreshTransaction() {
        AtomicInteger attempts = new AtomicInteger();
        String result = transactions.inTransaction(status -> {
            if (attempts.incrementAndGet() < 3) {
                throw connectionLost();
            }
            return "saved";
        });
        assertThat(result).isEqualTo("saved");
        assertThat(tm.calls).containsExactly("begin", "rollback", "begin", "rollback", "begin", "commit");
    }

    @Test
    void theCallersOwnErrorIsThrownAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> transactions.inTransaction(status -> {
            attempts.incrementAndGet();
            throw new DataIntegrityViolationException("duplicate key", new SQLException("duplicate key", "23505"));
        })).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(attempts).hasValue(1);
        assertThat(tm.calls).containsExactly("begin", "rollback");
    }

    @Test
    void aConnectionLostDuringCommitIsNeverRunAgain() {
        tm.commitFailure = new TransactionSystemException("Could not commit JPA transaction",
                new SQLException("An I/O error occurred while sending to the backend", "08006"));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> transactions.inTransaction(status -> attempts.incrementAndGet()))
                .isInstanceOf(CommitOutcomeUnknownException.class).hasCause(tm.commitFailure)
                .hasMessageContaining("may or may not have committed");
        assertThat(attempts).hasValue(1);
        assertThat(tm.calls).containsExactly("begin", "commit");
    }

    @Test
    void retriesStopAtTheDeadline() {
        FailoverTransactions shortDeadline = new FailoverTransactions(tm, Duration.ofMillis(100));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> shortDeadline.inTransaction(status -> {
            attempts.incrementAndGet();
            throw connectionLost();
        })).isInstanceOf(DataAccessResourceFailureException.class);
        // Pauses of 25 and 50 ms fit in 100 ms, the next one (100 ms) does not.
        assertThat(attempts.get()).isBetween(2, 3);
    }

    @Test
    void readOnlyWorkRunsInReadOnlyTransactions() {
        Integer answer = transactions.inReadOnlyTransaction(status -> 42);
        assertThat(answer).isEqualTo(42);
        assertThat(tm.calls).containsExactly("begin read-only", "commit");
    }

    @Test
    void insideAnOuterTransactionItJoinsAndDoesNotRetry() {
        TransactionSynchronizationManager.setActualTransactionActive(true);
        try {
            AtomicInteger attempts = new AtomicInteger();
            assertThatThrownBy(() -> transactions.inTransaction(status -> {
                attempts.incrementAndGet();
                throw connectionLost();
            })).isInstanceOf(DataAccessResourceFailureException.class);
            assertThat(attempts).as("the outer transaction owns the failed connection").hasValue(1);
        } finally {
            TransactionSynchronizationManager.setActualTransactionActive(false);
        }
    }
}
