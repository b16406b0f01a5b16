package dev.pgflip.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryRuleTest {
    private static final Duration PLENTY = Duration.ofSeconds(10);

    /** How a framework hands the failure over: wrapped, with the driver's SQLException somewhere below. */
    private static RuntimeException wrapped(Throwable cause) {
        return new RuntimeException("could not execute statement", new IllegalStateException("JDBC", cause));
    }

    @Test
    void aLostConnectionBeforeCommitIsRetriedAfterAShortGrowingPause() {
        Throwable lost = wrapped(new SQLException("An I/O error occurred while sending to the backend", "08006",
                new IOException("Connection reset")));
        assertThat(RetryRule.retryAfter(lost, 1, PLENTY)).contains(Duration.ofMillis(25));
        assertThat(RetryRule.retryAfter(lost, 2, PLENTY)).contains(Duration.ofMillis(50));
        assertThat(RetryRule.retryAfter(wrapped(new SQLException("read-only", "25006")), 1, PLENTY)).isPresent();
        assertThat(RetryRule.retryAfter(wrapped(new SQLException("terminating", "57P01")), 1, PLENTY)).isPresent();
    }

    @Test
    void theCallersErrorsAndAnExhaustedDeadlineAreNotRetried() {
        assertThat(RetryRule.retryAfter(wrapped(new SQLException("duplicate key", "23505")), 1, PLENTY)).isEmpty();
        assertThat(RetryRule.retryAfter(new IllegalArgumentException("no SQL at all"), 1, PLENTY)).isEmpty();
        assertThat(RetryRule.retryAfter(wrapped(new SQLException("gone", "08006")), 1, Duration.ofMillis(10)))
                .as("the back-off would outlast the deadline").isEmpty();
    }

    @Test
    void aLostConnectionDuringCommitLeavesTheOutcomeUnknown() {
        assertThat(RetryRule.commitOutcomeUnknown(wrapped(new SQLException("I/O error", "08006")))).isTrue();
        assertThat(RetryRule.commitOutcomeUnknown(wrapped(new SQLException("serialization failure", "40001"))))
                .as("a definite answer from the server").isFalse();
    }
}
