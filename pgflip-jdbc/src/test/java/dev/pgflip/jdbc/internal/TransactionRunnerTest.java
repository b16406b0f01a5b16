package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransactionRunnerTest {

    /** A connection whose first statement fails with {@code failure}; the runner's own calls on it do nothing. */
    private static Connection failingAtFirstStatement(SQLException failure) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "createStatement" -> throw failure;
                    case "isClosed" -> false;
                    default -> null;
                });
    }

    @Test
    void aUnitOfWorkOnAClosedDataSourceFailsWithTheClosedErrorAfterOneAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        TransactionRunner runner = new TransactionRunner(deadline -> {
            attempts.incrementAndGet();
            return failingAtFirstStatement(new DataSourceClosedException("orders"));
        }, Duration.ofSeconds(10), ClusterMetrics.NONE);

        assertThatThrownBy(() -> runner.run(Connection::createStatement, null))
                .as("the closed error itself, not 'transaction not done after n attempts'")
                .isExactlyInstanceOf(DataSourceClosedException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aLostConnectionWithTheSameSqlStateIsStillRetried() {
        AtomicInteger attempts = new AtomicInteger();
        TransactionRunner runner = new TransactionRunner(deadline -> {
            attempts.incrementAndGet();
            return failingAtFirstStatement(new SQLException("connection does not exist", "08003"));
        }, Duration.ofSeconds(1), ClusterMetrics.NONE);

        assertThatThrownBy(() -> runner.run(Connection::createStatement, null))
                .isInstanceOf(SQLTransientConnectionException.class).hasMessageContaining("transaction not done");
        assertThat(attempts).as("the first back-off (25 ms) fits in the 1 s deadline").hasValueGreaterThan(1);
    }
}
