package dev.pgflip.jdbc.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest timeline any writable primary of one data source has reported. Timelines only grow (each promotion
 * starts a new one), so a primary below the mark is an old primary that came back: fencing layer 3, for when the
 * node itself did not fence (its agent was down, or the partition healed before it could tell).
 *
 * <p>When the mark moves, listeners hear it at once, on the thread that moved it: every host's state depends on the
 * mark, and an old primary that still answers as writable must stop getting writes the moment a newer primary is
 * seen, not at its own next probe (up to a probe interval later, with writes lent to it meanwhile).
 */
public final class TimelineHighWater {
    private static final Logger log = LoggerFactory.getLogger(TimelineHighWater.class);

    /** Told when the mark moved; runs on the thread that moved it, outside any host's lock. */
    @FunctionalInterface
    public interface Listener {
        void moved(long newest);
    }

    private final AtomicLong newest = new AtomicLong(ProbeResult.UNKNOWN_TIMELINE);
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** A writable primary reported {@code timeline}; raises the mark (and tells the listeners) if it is newer. */
    public void saw(long timeline) {
        long before = newest.getAndAccumulate(timeline, Math::max);
        if (timeline > before) {
            if (before != ProbeResult.UNKNOWN_TIMELINE) {
                log.warn("pgflip timeline high-water rose from {} to {}: every host is re-classified and re-probed now",
                        before, timeline);
            }
            tell(timeline);
        }
    }

    public long newest() {
        return newest.get();
    }

    /** Whether the mark is above {@code timeline}: a primary on it is an old one (an unknown timeline is no evidence). */
    public boolean isAbove(long timeline) {
        return timeline != ProbeResult.UNKNOWN_TIMELINE && timeline < newest.get();
    }

    private void tell(long mark) {
        for (Listener l : listeners) {
            try {
                l.moved(mark);
            } catch (RuntimeException e) {
                // One host's reaction failing must not keep the others on the old mark; the failure is not the
                // reporting host's either (this runs inside its probe, which would count it as a failed probe).
                log.error("pgflip reaction to timeline mark {} failed", mark, e);
            }
        }
    }
}
