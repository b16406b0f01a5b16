package dev.pgflip.jdbc.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The newest timeline any writable primary of one data source has reported. Timelines only grow (each promotion
 * starts a new one), so a primary below the mark is an old primary that came back: fencing layer 3, for when the
 * node itself did not fence (its agent was down, or the partition healed before it could tell).
 */
public final class TimelineHighWater {
    private final AtomicLong newest = new AtomicLong(ProbeResult.UNKNOWN_TIMELINE);

    public void saw(long timeline) {
        newest.accumulateAndGet(timeline, Math::max);
    }

    public long newest() {
        return newest.get();
    }
}
