package dev.pgflip.agent.promote;

import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.Sleeper;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A monotonic clock that moves only when something sleeps on it: deadlines pass without real waiting. */
final class ManualClock implements LongSupplier, Sleeper {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long getAsLong() {
        return nanos.get();
    }

    @Override
    public void sleep(Duration d) {
        nanos.addAndGet(Math.max(0, d.toNanos()));
    }

    Deadline deadline(Duration budget) {
        return Deadline.after(budget, this);
    }
}
