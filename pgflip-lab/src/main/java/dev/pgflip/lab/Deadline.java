package dev.pgflip.lab;

import java.time.Duration;

/** A point in time that bounds a wait; {@link #check} fails with what we were waiting for. */
public record Deadline(long atNanos, Duration budget) {
    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    public boolean expired() {
        return System.nanoTime() - atNanos >= 0;
    }

    /** What is left of the budget, zero once expired. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, atNanos - System.nanoTime()));
    }

    public void check(String waitingFor) {
        if (expired()) {
            throw new LabException("gave up after " + budget.toSeconds() + " s waiting for " + waitingFor);
        }
    }
}
