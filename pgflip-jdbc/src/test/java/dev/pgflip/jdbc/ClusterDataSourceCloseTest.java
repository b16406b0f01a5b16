package dev.pgflip.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.jdbc.internal.DataSourceClosedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * After close() every way of borrowing fails at once, naming the closed data source. Every host here is a closed port
 * (see {@link Loopback}): before the closed flag a borrow waited its whole connectionTimeout (10 s) for a writer and
 * then failed with "no writable primary", which is what these assertions tell apart.
 */
class ClusterDataSourceCloseTest {

    private static void failsAsClosed(ThrowingCallable borrow) {
        assertThatThrownBy(borrow).isInstanceOf(SQLNonTransientConnectionException.class)
                .isInstanceOf(DataSourceClosedException.class)
                .hasMessageContaining("was closed")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"));
    }

    @Test
    void everyBorrowAfterCloseFailsAtOnceSayingTheDataSourceWasClosed() throws SQLException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClusterDataSource ds = Loopback.closedPorts().meterRegistry(registry).build();
        Counter retries = registry.get("pgflip.retries").counter();
        ReadYourWrites session = ds.readYourWrites("0/3000060@3");
        assertThat(ds.isClosed()).isFalse();

        ds.close();

        assertThat(ds.isClosed()).isTrue();
        AtomicInteger ran = new AtomicInteger();
        failsAsClosed(ds::getConnection);
        failsAsClosed(ds::getReadConnection);
        failsAsClosed(() -> ds.inTransaction(c -> { ran.incrementAndGet(); }));
        failsAsClosed(() -> ds.inTransaction((Connection c) -> ran.incrementAndGet()));
        failsAsClosed(session::getReadConnection);
        failsAsClosed(() -> session.inTransaction((Connection c) -> ran.incrementAndGet()));
        failsAsClosed(() -> ds.readYourWrites().getReadConnection());
        assertThat(ran).as("no unit of work starts on a closed data source").hasValue(0);
        assertThat(retries.count()).as("nothing retried").isZero();
        ds.close();
    }

    @Test
    void aConnectionHandedOutBeforeCloseButUnusedFailsAtItsFirstStatement() throws SQLException {
        Connection write;
        Connection read;
        Connection intentRead;
        try (ClusterDataSource ds = Loopback.closedPorts().build()) {
            write = ds.getConnection();
            read = ds.getReadConnection();
            intentRead = ds.getConnection();
            intentRead.setReadOnly(true);
        }
        failsAsClosed(write::createStatement);
        failsAsClosed(read::createStatement);
        failsAsClosed(intentRead::getMetaData);
    }

    @Test
    void aBorrowWaitingForTheWriterWhenCloseComesFailsAsClosedNotAtItsDeadline() throws Exception {
        // Without direct writes the wait for the writer is not cut into 10 ms slices: only the close check wakes it.
        ClusterDataSource ds = Loopback.closedPorts().directWrites(false).connectionTimeout(Duration.ofSeconds(30))
                .build();
        Connection c = ds.getConnection();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread borrower = new Thread(() -> {
            try {
                c.createStatement();
                failure.complete(null);
            } catch (Throwable e) {
                failure.complete(e);
            }
        }, "borrower");
        borrower.start();
        // Until it is parked in its wait for the writer (DOWN from the start), or already done (then nothing to wait).
        while (borrower.getState() != Thread.State.TIMED_WAITING && !failure.isDone()) {
            Thread.sleep(5);
        }

        ds.close();

        // Bounded only so a regression fails instead of hanging; a wait to the 30 s deadline would fail it.
        Throwable e = failure.get(15, TimeUnit.SECONDS);
        failsAsClosed(() -> {
            throw e;
        });
    }

    @Test
    void closingTwiceIsHarmless() {
        ClusterDataSource ds = Loopback.closedPorts().build();
        ds.close();
        ds.close();
        assertThat(ds.isClosed()).isTrue();
    }
}
