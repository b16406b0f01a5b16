package dev.pgflip.jdbc.internal;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest timeline any writable primary of one data source has reported. Timelines only grow (each promotion
 * starts a new one), so a primary below the mark is an old primary that came back: fencing layer 3, for when the
 * node itself did not fence (its agent was down, or the partition healed before it could tell).
 *
 * <p>Timelines grow only within one cluster. A cluster restored into a fresh {@code initdb} or upgraded with
 * {@code pg_upgrade} starts again at timeline 1 under a new {@code system_identifier}; a mark kept from before would
 * refuse every host forever. So the mark remembers the identifier it was recorded for, and a primary reporting another
 * one restarts it. A restore that keeps the identifier (a base backup of the same cluster) is not told apart from an
 * old primary: that takes {@link #reset}, by hand.
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

    /** The newest timeline, and the cluster it was recorded for. */
    record Mark(long systemIdentifier, long timeline) {
        static final Mark NONE = new Mark(ProbeResult.UNKNOWN_SYSTEM, ProbeResult.UNKNOWN_TIMELINE);

        /** The mark after a writable primary of cluster {@code system} reported {@code reported}. */
        Mark after(long system, long reported) {
            if (isOtherCluster(system)) {
                return new Mark(system, reported);
            }
            long id = systemIdentifier == ProbeResult.UNKNOWN_SYSTEM ? system : systemIdentifier;
            return new Mark(id, Math.max(timeline, reported));
        }

        boolean isOtherCluster(long system) {
            return system != ProbeResult.UNKNOWN_SYSTEM && systemIdentifier != ProbeResult.UNKNOWN_SYSTEM
                    && system != systemIdentifier;
        }
    }

    private final AtomicReference<Mark> mark = new AtomicReference<>(Mark.NONE);
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** A writable primary of an unreported cluster reported {@code timeline}. */
    public void saw(long timeline) {
        saw(ProbeResult.UNKNOWN_SYSTEM, timeline);
    }

    /**
     * A writable primary of cluster {@code systemIdentifier} reported {@code timeline}: raises the mark if it is newer,
     * restarts it if the cluster is another one, and tells the listeners when it moved.
     */
    public void saw(long systemIdentifier, long timeline) {
        Mark before;
        Mark after;
        do {
            before = mark.get();
            after = before.after(systemIdentifier, timeline);
        } while (!mark.compareAndSet(before, after));
        if (before.isOtherCluster(systemIdentifier)) {
            log.warn("pgflip system_identifier changed from {} to {} (a restore or a major upgrade: timelines start"
                    + " over): timeline high-water mark reset from {} to {}", before.systemIdentifier(),
                    systemIdentifier, before.timeline(), after.timeline());
            tell(after.timeline());
        } else if (after.timeline() > before.timeline()) {
            if (before.timeline() != ProbeResult.UNKNOWN_TIMELINE) {
                log.warn("pgflip timeline high-water rose from {} to {}: every host is re-classified and re-probed now",
                        before.timeline(), after.timeline());
            }
            tell(after.timeline());
        }
    }

    /**
     * Restarts the mark at {@code timeline} (see {@link #newestAnswering}), forgetting the cluster it was recorded
     * for: the next primary's identifier is taken as it comes.
     */
    public void reset(long timeline) {
        Mark before = mark.getAndSet(new Mark(ProbeResult.UNKNOWN_SYSTEM, timeline));
        log.warn("pgflip timeline high-water mark reset by hand from {} to {} (system_identifier {} forgotten)",
                before.timeline(), timeline, before.systemIdentifier());
        tell(timeline);
    }

    /**
     * Where a reset by hand restarts: the newest timeline among the hosts answering as primaries now (stale ones
     * included). An old primary still up next to a newer one thus stays refused; a cluster whose every node is below
     * the mark (restored from a backup of itself) is taken as it is now.
     */
    public static long newestAnswering(Collection<HostHealth> hosts) {
        return hosts.stream()
                .filter(h -> h.answer() != null
                        && (h.state() == HostState.PRIMARY || h.state() == HostState.STALE_PRIMARY))
                .mapToLong(h -> h.answer().timeline())
                .max().orElse(ProbeResult.UNKNOWN_TIMELINE);
    }

    public long newest() {
        return mark.get().timeline();
    }

    /** Whether the mark is above {@code timeline}: a primary on it is an old one (an unknown timeline is no evidence). */
    public boolean isAbove(long timeline) {
        return timeline != ProbeResult.UNKNOWN_TIMELINE && timeline < newest();
    }

    private void tell(long newest) {
        for (Listener l : listeners) {
            try {
                l.moved(newest);
            } catch (RuntimeException e) {
                // One host's reaction failing must not keep the others on the old mark; the failure is not the
                // reporting host's either (this runs inside its probe, which would count it as a failed probe).
                log.error("pgflip reaction to timeline mark {} failed", newest, e);
            }
        }
    }
}
