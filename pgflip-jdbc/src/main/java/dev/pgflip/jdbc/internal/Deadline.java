package dev.pgflip.jdbc.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A point in monotonic time after which a caller must not be kept waiting. */
public final class Deadline {
    private final long deadlineNanos;
    private final LongSupplier nanoClock;

    private Deadline(long deadlineNanos, LongSupplier nanoClock) {
        this.deadlineNanos = deadlineNanos;
        this.nanoClock = nanoClock;
    }

    public static Deadline after(Duration d, LongSupplier nanoClock) {
        return new Deadline(nanoClock.getAsLong() + d.toNanos(), nanoClock);
    }

    public static Deadline after(Duration d) {
        return after(d, System::nanoTime);
    }

    /** The earlier of this deadline and one {@code d} from now. */
    public Deadline atMost(Duration d) {
        long other = nanoClock.getAsLong() + d.toNanos();
        return other - deadlineNanos < 0 ? new Deadline(other, nanoClock) : this;
    }

    public long remainingNanos() {
        return Math.max(0, deadlineNanos - nanoClock.getAsLong());
    }

    public long remainingMillis() {
        return remainingNanos() / 1_000_000L;
    }

    public boolean expired() {
        return remainingNanos() == 0;
    }
}
