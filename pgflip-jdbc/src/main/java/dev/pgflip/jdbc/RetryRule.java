package dev.pgflip.jdbc;

import dev.pgflip.jdbc.internal.FailureClassifier;
import dev.pgflip.jdbc.internal.RetryPolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * The rule {@link ClusterDataSource#inTransaction(ConnectionFunction)} applies, for frameworks that begin and commit
 * transactions themselves (a Spring transaction manager, say): a unit of work that failed on its connection before
 * COMMIT may run again on a fresh one, after a short back-off, while the retry deadline leaves room; once COMMIT was
 * sent, a lost connection leaves the outcome unknown and nothing runs again.
 *
 * <pre>{@code
 * Optional<Duration> pause = RetryRule.retryAfter(failure, attempt, remaining);
 * if (pause.isEmpty()) throw failure;        // the caller's error, or no time left
 * }</pre>
 */
public final class RetryRule {
    private RetryRule() {
    }

    /**
     * The pause before running the unit of work again, or empty when it must not run again: the failure (anywhere in
     * its cause chain) is not a lost connection, a shutdown or a read-only server, or the back-off would outlast
     * {@code remaining}.
     *
     * @param attempt the attempt that failed, from 1
     */
    public static Optional<Duration> retryAfter(Throwable failureBeforeCommit, int attempt, Duration remaining) {
        FailureClassifier.Failure failure = FailureClassifier.classify(failureBeforeCommit);
        return RetryPolicy.decide(failure, false, attempt, remaining.toNanos()) instanceof RetryPolicy.Retry retry
                ? Optional.of(retry.delay()) : Optional.empty();
    }

    /** Whether a failure of COMMIT itself leaves the outcome unknown: the server may have committed. */
    public static boolean commitOutcomeUnknown(Throwable commitFailure) {
        return FailureClassifier.ambiguousDuringCommit(FailureClassifier.classify(commitFailure));
    }
}
