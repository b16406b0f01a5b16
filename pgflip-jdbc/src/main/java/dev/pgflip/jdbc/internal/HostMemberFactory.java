package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.HostSpec;
import java.util.function.BooleanSupplier;

/**
 * Wires one host in one role: its pool, a tracker that tells the pool reactions and the metrics of every change, and
 * the monitor that feeds the tracker.
 */
final class HostMemberFactory {
    private final ClusterConfig config;
    private final HostPools pools;
    private final TimelineHighWater timelines;
    private final PoolReactions reactions;
    private final ClusterMetrics metrics;
    private final BooleanSupplier writerDown;

    /** @param writerDown true while the writer is not usable: a reader is then probed closely (see below) */
    HostMemberFactory(ClusterConfig config, HostPools pools, TimelineHighWater timelines, PoolReactions reactions,
                      ClusterMetrics metrics, BooleanSupplier writerDown) {
        this.config = config;
        this.pools = pools;
        this.timelines = timelines;
        this.reactions = reactions;
        this.metrics = metrics;
        this.writerDown = writerDown;
    }

    HostMember create(HostSpec host, Role role, String poolName) {
        HostPool pool = pools.member(host, role, poolName);
        HostTracker tracker = new HostTracker(host, role, config.maxReplicaLag(), config.downAfterProbeFailures(),
                System::nanoTime, timelines);
        tracker.addListener(reactions.on(pool));
        metrics.track(tracker);
        boolean promotionWatched = role == Role.READER && config.directWrites();
        if (promotionWatched) {
            // The counters of the direct writer pool this host may get during a failover, registered now (at 0).
            metrics.host(Role.WRITER, host);
        }
        // While the writer is down a reader is watched closely: its promotion is where direct writes may go.
        BooleanSupplier urgent = promotionWatched ? writerDown : () -> false;
        return new HostMember(pool, tracker,
                new HostMonitor(tracker, config, PoolNames.monitor(poolName, host), pool::prewarm, urgent));
    }
}
