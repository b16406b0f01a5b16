package dev.pgflip.jdbc.internal;

import static dev.pgflip.jdbc.internal.FailureClassifier.Failure.CLOSED;
import static dev.pgflip.jdbc.internal.FailureClassifier.Failure.CONNECTION_LOST;
import static dev.pgflip.jdbc.internal.FailureClassifier.Failure.OTHER;
import static dev.pgflip.jdbc.internal.FailureClassifier.Failure.READ_ONLY;
import static dev.pgflip.jdbc.internal.FailureClassifier.Failure.SERVER_SHUTDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.RetryRule;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @Test
    void connectionClassAndShutdownsAndReadOnlyAreRecognised() {
        assertThat(FailureClassifier.classify(new SQLException("io", "08006"))).isEqualTo(CONNECTION_LOST);
        assertThat(FailureClassifier.classify(new SQLException("refused", "08001"))).isEqualTo(CONNECTION_LOST);
        assertThat(FailureClassifier.classify(new SQLException("terminating", "57P01"))).isEqualTo(SERVER_SHUTDOWN);
        assertThat(FailureClassifier.classify(new SQLException("crash", "57P02"))).isEqualTo(SERVER_SHUTDOWN);
        assertThat(FailureClassifier.classify(new SQLException("starting", "57P03"))).isEqualTo(SERVER_SHUTDOWN);
        assertThat(FailureClassifier.classify(new SQLException("read-only", "25006"))).isEqualTo(READ_ONLY);
    }

    @Test
    void aWriteOnAStandbyOrFencedPrimaryIsReadOnlyEvictsAndIsRetriedButNeverAmbiguous() {
        // What pgjdbc throws for "cannot execute INSERT in a read-only transaction", wrapped as a pool would.
        SQLException write = new SQLException("ERROR: cannot execute INSERT in a read-only transaction", "25006");
        assertThat(FailureClassifier.classify(write)).isEqualTo(READ_ONLY);
        assertThat(FailureClassifier.classify(new SQLException("wrapped", null, write))).isEqualTo(READ_ONLY);
        assertThat(FailureClassifier.evictsPool(READ_ONLY)).isTrue();
        assertThat(FailureClassifier.retriableBeforeCommit(READ_ONLY)).isTrue();
        assertThat(FailureClassifier.ambiguousDuringCommit(READ_ONLY)).as("the server refused: nothing committed")
                .isFalse();
    }

    @Test
    void aRefusedConnectionOrAShutdownIsARefusalButATimeoutIsNot() {
        SQLException refused = new SQLException("Connection to 198.18.0.11:5432 refused.", "08001",
                new ConnectException("Connection refused"));
        assertThat(FailureClassifier.refused(refused)).isTrue();
        assertThat(FailureClassifier.refused(new ConnectException("Connection refused"))).isTrue();
        assertThat(FailureClassifier.refused(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(FailureClassifier.refused(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(FailureClassifier.refused(new SQLException("An I/O error occurred while sending to the backend.",
                "08006", new SocketTimeoutException("Read timed out")))).isFalse();
        assertThat(FailureClassifier.refused(new SocketTimeoutException("no answer within 250 ms"))).isFalse();
        assertThat(FailureClassifier.refused(new ConnectException("Connection timed out"))).as("silence, from the OS")
                .isFalse();
        assertThat(FailureClassifier.refused(new SQLException("password authentication failed", "28P01"))).isFalse();
    }

    @Test
    void callersOwnErrorsAreOther() {
        assertThat(FailureClassifier.classify(new SQLException("dup", "23505"))).isEqualTo(OTHER);
        assertThat(FailureClassifier.classify(new SQLException("serialization", "40001"))).isEqualTo(OTHER);
        assertThat(FailureClassifier.classify(new SQLException("syntax", "42601",
                new SocketException("later")))).as("a definite SQLState wins over a chained I/O error").isEqualTo(OTHER);
    }

    @Test
    void stateLessPoolErrorsAreClassifiedByTheirCause() {
        assertThat(FailureClassifier.classify(new SQLTransientConnectionException("pool timeout", null,
                new SQLException("refused", "08001")))).isEqualTo(CONNECTION_LOST);
        assertThat(FailureClassifier.classify(new SQLException("x", (String) null, new SocketException("reset"))))
                .isEqualTo(CONNECTION_LOST);
        assertThat(FailureClassifier.classify(new SQLException("no state"))).isEqualTo(OTHER);
    }

    @Test
    void onlyConnectionFailuresDuringCommitAreAmbiguous() {
        assertThat(FailureClassifier.ambiguousDuringCommit(CONNECTION_LOST)).isTrue();
        assertThat(FailureClassifier.ambiguousDuringCommit(SERVER_SHUTDOWN)).isTrue();
        assertThat(FailureClassifier.ambiguousDuringCommit(READ_ONLY)).isFalse();
        assertThat(FailureClassifier.ambiguousDuringCommit(OTHER)).isFalse();
        assertThat(FailureClassifier.evictsPool(READ_ONLY)).isTrue();
        assertThat(FailureClassifier.evictsPool(OTHER)).isFalse();
    }

    @Test
    void aClosedDataSourceIsNotALostConnectionThoughItsStateIs08003SoNothingRetriesOrEvicts() {
        SQLException closed = new DataSourceClosedException("orders");
        assertThat(closed.getSQLState()).isEqualTo("08003");
        assertThat(FailureClassifier.classify(closed)).isEqualTo(CLOSED);
        assertThat(FailureClassifier.classify(new SQLException("wrapped by a framework", null, closed)))
                .isEqualTo(CLOSED);
        assertThat(FailureClassifier.classify(new SQLException("gone", "08003"))).as("any other 08003 is")
                .isEqualTo(CONNECTION_LOST);
        assertThat(FailureClassifier.retriableBeforeCommit(CLOSED)).isFalse();
        assertThat(FailureClassifier.evictsPool(CLOSED)).as("no host is at fault").isFalse();
        assertThat(FailureClassifier.ambiguousDuringCommit(CLOSED)).isFalse();
        assertThat(RetryRule.retryAfter(closed, 1, Duration.ofSeconds(10))).as("what Spring's transactions ask")
                .isEmpty();
    }
}
