package dev.pgflip.jdbc.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's lent connections kept, not aborted, while the write endpoint is DOWN by silence alone (probes timed out,
 * none refused): a stalled primary (a frozen VM, a live migration, a starved host) may answer again and commit what its
 * callers sent, while aborting them turns each COMMIT in flight into an ambiguous failure (2 of them in a 2.7 s freeze,
 * drill of 2026-12-07, where plain HikariCP and pgjdbc multi-host, which only waited, failed none). Nothing is given up
 * by waiting: no write can go anywhere else before a promotion. So they are aborted once a promotion is seen (the
 * timeline mark rises above the one the endpoint served: they may be on the replaced primary, which its fence or
 * synchronous replication keeps from acknowledging them), or once the retry deadline has passed without one (callers
 * must not hang on a host that may never answer), and kept when the endpoint answers again on the same timeline.
 * A refused probe proves the server gone: its sessions fail on their own, and {@link PoolReactions} aborts at once.
 */
final class InFlightHolds {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    /** One hold: the pool's tracker and the timeline its host served when it went silent. */
    private record Held(HostTracker tracker, long timeline) {}

    private final TimelineHighWater timelines;
    private final Duration bound;
    private final Map<HostPool, Held> held = new ConcurrentHashMap<>();

    InFlightHolds(TimelineHighWater timelines, Duration bound) {
        this.timelines = timelines;
        this.bound = bound;
        timelines.addListener(newest -> promotionSeen());
    }

    /** Whether the pool's lent connections are held rather than aborted now: the writer, DOWN by silence alone. */
    static boolean applies(HostPool pool, HostTracker tracker) {
        return pool.role() == Role.WRITER && tracker.downBySilence();
    }

    /** Holds what {@code pool} has lent until a promotion is seen, the bound passes, or {@link #release}. */
    void hold(HostPool pool, HostTracker tracker) {
        Held hold = new Held(tracker, tracker.primaryTimeline());
        held.put(pool, hold);
        CompletableFuture.delayedExecutor(bound.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (held.remove(pool, hold)) {
                abort(pool, "no promotion seen and no answer within the retry deadline ("
                        + bound.toMillis() + " ms)");
            }
        });
        promotionSeen(); // one may have been seen while this was set up
    }

    /**
     * The endpoint answers again: on the timeline it served, the held sessions are on that same server and go on; on
     * a newer one it leads to another primary now, and they are aborted.
     */
    void release(HostPool pool) {
        Held hold = held.remove(pool);
        if (hold != null && hold.tracker().primaryTimeline() > hold.timeline()) {
            abort(pool, "the endpoint answers on timeline " + hold.tracker().primaryTimeline() + ", newer than "
                    + hold.timeline());
        }
    }

    private void promotionSeen() {
        held.forEach((pool, hold) -> {
            if (timelines.isAbove(hold.timeline()) && held.remove(pool, hold)) {
                abort(pool, "a promotion was seen (timeline " + timelines.newest() + ")");
            }
        });
    }

    private static void abort(HostPool pool, String why) {
        int aborted = pool.abortInFlight();
        log.warn("pgflip host={} role={} aborted {} in flight held while it was silent: {}", pool.host(),
                pool.role().label(), aborted, why);
    }
}
