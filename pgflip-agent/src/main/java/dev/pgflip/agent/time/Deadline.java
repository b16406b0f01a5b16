package dev.pgflip.agent.time;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A point in monotonic time after which an operation must give up. Every wait in the agent is bounded by one,
 * so a hook started by repmgrd always returns.
 */
public final class Deadline {
    private final LongSupplier nanoTime;
    private final long startNanos;
    private final Duration budget;

    private Deadline(LongSupplier nanoTime, Duration budget) {
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.budget = budget;
    }

    public static Deadline after(Duration budget) {
        return after(budget, System::nanoTime);
    }

    /** For tests: a deadline on a supplied clock. */
    public static Deadline after(Duration budget, LongSupplier nanoTime) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("deadline budget must not be negative: " + budget);
        }
        return new Deadline(nanoTime, budget);
    }

    public Duration budget() {
        return budget;
    }

    public Duration elapsed() {
        return Duration.ofNanos(nanoTime.getAsLong() - startNanos);
    }

    /** Time left, never negative. */
    public Duration remaining() {
        Duration left = budget.minus(elapsed());
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean isExpired() {
        return remaining().isZero();
    }

    /** The smaller of {@code d} and the time left. */
    public Duration cap(Duration d) {
        Duration left = remaining();
        return d.compareTo(left) < 0 ? d : left;
    }

    @Override
    public String toString() {
        return "Deadline[budget=" + budget.toMillis() + "ms, remaining=" + remaining().toMillis() + "ms]";
    }
}
