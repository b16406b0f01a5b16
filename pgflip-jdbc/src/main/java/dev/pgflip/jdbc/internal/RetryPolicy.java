package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.internal.FailureClassifier.Failure;
import java.time.Duration;

/**
 * Whether a failed unit of work runs again: only connection-level failures before COMMIT, only while the deadline
 * leaves room for the back-off. The back-off is short (25 ms doubling to 400 ms) because waiting for a new primary
 * happens elsewhere, on the writer's usable signal, not by sleeping.
 */
public final class RetryPolicy {
    public static final Duration FIRST_DELAY = Duration.ofMillis(25);
    public static final Duration MAX_DELAY = Duration.ofMillis(400);

    public sealed interface Decision permits Retry, Ambiguous, GiveUp {}

    public record Retry(Duration delay) implements Decision {}

    public record Ambiguous() implements Decision {}

    public record GiveUp(String reason) implements Decision {}

    private RetryPolicy() {
    }

    /** The back-off before attempt {@code attempt + 1}, given that {@code attempt} (1-based) failed. */
    public static Duration delayAfter(int attempt) {
        long millis = FIRST_DELAY.toMillis() << Math.min(Math.max(attempt - 1, 0), 10);
        return Duration.ofMillis(Math.min(millis, MAX_DELAY.toMillis()));
    }

    public static Decision decide(Failure failure, boolean duringCommit, int attempt, long remainingNanos) {
        if (duringCommit) {
            return FailureClassifier.ambiguousDuringCommit(failure) ? new Ambiguous()
                    : new GiveUp("COMMIT failed with a definite error");
        }
        if (!FailureClassifier.retriableBeforeCommit(failure)) {
            return new GiveUp("not a connection failure (" + failure + ")");
        }
        Duration delay = delayAfter(attempt);
        if (delay.toNanos() >= remainingNanos) {
            return new GiveUp("retry deadline reached after " + attempt + " attempt(s)");
        }
        return new Retry(delay);
    }
}
