package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriterLendingTest {
    private final AtomicLong clock = new AtomicLong();
    private final Deadline deadline = Deadline.after(Duration.ofSeconds(5), clock::get);
    private final List<String> discarded = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    /** A pool on one host whose fitness after the borrow is scripted. */
    private WriterLending.Route<String> route(String host, boolean writableAfterBorrow) {
        return new WriterLending.Route<>() {
            @Override public String borrow(long timeoutMillis) { return "connection on " + host; }
            @Override public boolean stillWritable() { return writableAfterBorrow; }
            @Override public void discard(String lease) { discarded.add(lease); }
            @Override public void failed(SQLException failure) { failures.add(host + ": " + failure.getMessage()); }
        };
    }

    private WriterLending.Route<String> failingRoute(String host) {
        return new WriterLending.Route<>() {
            @Override public String borrow(long timeoutMillis) throws SQLException {
                clock.addAndGet(Duration.ofSeconds(5).toNanos());
                throw new SQLTransientConnectionException("connection is not available, request timed out", "08001");
            }
            @Override public boolean stillWritable() { return true; }
            @Override public void discard(String lease) { discarded.add(lease); }
            @Override public void failed(SQLException failure) { failures.add(host + ": " + failure.getMessage()); }
        };
    }

    private static WriterLending.Router<String> routes(List<WriterLending.Route<String>> script) {
        Deque<WriterLending.Route<String>> left = new ArrayDeque<>(script);
        return d -> left.poll();
    }

    private SQLException unavailable(SQLException last) {
        return new SQLTransientConnectionException("no writable primary", "08001", last);
    }

    @Test
    void aConnectionBorrowedWhileItsHostTurnedStaleIsGivenBackAndTheWriteIsRoutedAgain() throws SQLException {
        String lent = WriterLending.lend(routes(List.of(route("n1", false), route("n2", true))), deadline,
                this::unavailable);
        assertThat(lent).isEqualTo("connection on n2");
        assertThat(discarded).as("never handed to the caller").containsExactly("connection on n1");
    }

    @Test
    void aConnectionWhoseHostIsStillWritableGoesOutAsBorrowed() throws SQLException {
        assertThat(WriterLending.lend(routes(List.of(route("n1", true))), deadline, this::unavailable))
                .isEqualTo("connection on n1");
        assertThat(discarded).isEmpty();
    }

    @Test
    void whenNoHostStaysWritableUntilTheDeadlineTheCallerGetsUnavailableNotTheDiscardedConnection() {
        assertThatThrownBy(() -> WriterLending.lend(routes(List.of(route("n1", false))), deadline, this::unavailable))
                .hasMessage("no writable primary");
        assertThat(discarded).containsExactly("connection on n1");
    }

    @Test
    void aFailedBorrowIsReportedAndItsFailureCarriedIntoUnavailable() {
        assertThatThrownBy(() -> WriterLending.lend(routes(List.of(failingRoute("n1"))), deadline, this::unavailable))
                .hasMessage("no writable primary")
                .cause().hasMessageContaining("request timed out");
        assertThat(failures).containsExactly("n1: connection is not available, request timed out");
    }
}
