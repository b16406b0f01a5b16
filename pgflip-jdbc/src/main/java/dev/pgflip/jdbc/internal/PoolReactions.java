package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.PoolStatus;
import dev.pgflip.jdbc.internal.StateChangePolicy.PoolAction;
import java.sql.SQLException;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link StateChangePolicy}'s actions on a host's pool and on the direct pools, where the state change was
 * made (see {@link HostTracker.Listener}); and what a failure a caller saw means for the pool it came from.
 */
final class PoolReactions {
    /** Cluster's logger: these lines were logged there before this class was split out of it. */
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    private final ClusterMetrics metrics;
    private final DirectPools direct;
    private final WriteRouter router;
    private final Supplier<ClusterView> views;
    private final InFlightHolds holds;

    PoolReactions(ClusterMetrics metrics, DirectPools direct, WriteRouter router, Supplier<ClusterView> views,
            InFlightHolds holds) {
        this.holds = holds;
        this.metrics = metrics;
        this.direct = direct;
        this.router = router;
        this.views = views;
    }

    /** A listener for the tracker of {@code pool}'s host in {@code pool}'s role. */
    HostTracker.Listener on(HostPool pool) {
        return (tracker, previous, current) -> react(pool, tracker, previous.state(), current.state());
    }

    /** A caller saw {@code failure} on a connection of {@code pool}: drop its idle peers and re-probe its host now. */
    void failed(HostPool pool, SQLException failure, HostMonitor monitor) {
        if (FailureClassifier.evictsPool(FailureClassifier.classify(failure))) {
            pool.evictIdle();
            monitor.wake();
        }
    }

    /**
     * Connections the pool holds now or had lent at once since the last failover, whichever is more, at most its max
     * ({@link DirectPools#warm} opens at least one). Its own count alone warmed one connection for two writers in the
     * kill drill (2026-12-06, DEBUG trace): their connections had failed and been dropped before the monitor found the
     * host down, and the second writer waited 57 ms for a login after the promotion.
     */
    private static int held(HostPool pool) {
        PoolStatus status = pool.status();
        int held = Math.max(status.active() + status.idle(), pool.peakBusySinceAsked());
        return status.max() > 0 ? Math.min(status.max(), held) : held;
    }

    void react(HostPool pool, HostTracker tracker, HostState previous, HostState current) {
        Set<PoolAction> actions = StateChangePolicy.actions(pool.role(), previous, current);
        // Counted before the eviction below: as many writers as held the endpoint's connections get a direct one.
        int writing = actions.contains(PoolAction.WARM_DIRECT_POOLS) ? held(pool) : 0;
        boolean hold = actions.contains(PoolAction.ABORT_IN_FLIGHT) && InFlightHolds.applies(pool, tracker);
        if (actions.contains(PoolAction.MARK_DOWN)) {
            pool.markDown(!hold);
        }
        if (actions.contains(PoolAction.EVICT_IDLE)) {
            pool.evictIdle();
            if (hold) {
                holds.hold(pool, tracker);
                log.warn("pgflip host={} role={} state={} evicted idle connections; holds {} in flight until a promotion"
                        + " is seen or the retry deadline (silent, not refused: it may answer again)", pool.host(),
                        pool.role().label(), current, pool.busy());
            } else {
                int aborted = actions.contains(PoolAction.ABORT_IN_FLIGHT) ? pool.abortInFlight() : 0;
                log.warn("pgflip host={} role={} state={} evicted idle connections and aborted {} in flight",
                        pool.host(), pool.role().label(), current, aborted);
            }
        }
        if (pool.role() == Role.WRITER && current.writable()) {
            holds.release(pool);
        }
        if (actions.contains(PoolAction.RENEW_IF_STALE)) {
            pool.renewIfStale();
        }
        if (actions.contains(PoolAction.COUNT_FAILOVER)) {
            metrics.failover(pool.host());
        }
        if (actions.contains(PoolAction.RETIRE_DIRECT_POOLS)) {
            direct.retire();
        }
        if (actions.contains(PoolAction.WARM_DIRECT_POOLS)) {
            direct.warm(router.promotionCandidates(views.get()), writing);
        }
        if (actions.contains(PoolAction.EVICT_IDLE_DIRECT)) {
            direct.evictIdle(pool.host(), actions.contains(PoolAction.ABORT_IN_FLIGHT_DIRECT));
        }
    }
}
