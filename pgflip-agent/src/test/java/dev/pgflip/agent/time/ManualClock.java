package dev.pgflip.agent.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A monotonic clock that moves only when something sleeps on it: deadlines pass without real waiting. */
public final class ManualClock implements LongSupplier, Sleeper {
    private final AtomicLong nanos = new AtomicLong();

    /** How far the clock has moved since it was made. */
    public Duration elapsed() {
        return Duration.ofNanos(nanos.get());
    }

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    @Override
    public void sleep(Duration d) {
        nanos.addAndGet(Math.max(0, d.toNanos()));
    }

    public Deadline deadline(Duration budget) {
        return Deadline.after(budget, this);
    }
}
