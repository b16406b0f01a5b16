package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The direct writer pools: one per host of the read list that writes go (or may soon go) to straight, while the write
 * endpoint leads to no primary ({@code directWrites}), and their retirement once it does again. A pool may be made
 * while the endpoint comes back; whichever of the two sees the other last retires it (see {@link #poolFor}).
 */
final class DirectPools {
    /** Cluster's logger: these lines were logged there before this class was split out of it. */
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    private final boolean enabled;
    private final HostSpec endpoint;
    private final BooleanSupplier endpointUsable;
    private final Function<HostSpec, HostPool> opener;
    private final Map<HostSpec, HostPool> pools = new ConcurrentHashMap<>();
    /** The host writes last went to directly, so the switch is logged once per failover, not per borrow. */
    private final AtomicReference<HostSpec> target = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param enabled {@code directWrites}: when off, nothing is ever warmed (and the router never routes here)
     * @param endpoint the write endpoint, for the log lines
     * @param endpointUsable whether the write endpoint's tracker finds it usable now
     * @param opener makes the direct pool of a host (see {@link HostPool#direct})
     */
    DirectPools(boolean enabled, HostSpec endpoint, BooleanSupplier endpointUsable, Function<HostSpec, HostPool> opener) {
        this.enabled = enabled;
        this.endpoint = endpoint;
        this.endpointUsable = endpointUsable;
        this.opener = opener;
    }

    /** The pool to write to {@code host} through, made if need be; the router decided writes go there now. */
    HostPool poolFor(HostSpec host) {
        HostSpec was = target.getAndSet(host);
        if (!host.equals(was)) {
            log.warn("pgflip writes go directly to {}, the primary on the newest timeline, until {} leads to it",
                    host, endpoint);
        }
        HostPool pool = pools.computeIfAbsent(host, opener);
        if (closedMeanwhile(host, pool)) {
            return pool;
        }
        if (endpointUsable.getAsBoolean()) {
            // The writer came back while this pool was being made: its retirement may have run before the pool was
            // in the map, and would otherwise not run again until the next failover. (The tracker is usable before it
            // tells its listeners, so one of the two retires it.)
            retire();
        }
        return pool;
    }

    /**
     * The write endpoint stopped leading to a primary: open {@code connections} connections to each of {@code hosts}
     * now, while repmgrd is still deciding, so the first direct writes after a promotion find them made. Measured in
     * the kill drill before this: the direct pool's first connection took 390 ms, made only once the promotion was
     * seen; and with one connection warmed, the drill's second writer waited 166-552 ms for a login right after the
     * promotion (switchover drills with pgflip-jdbc's DEBUG log, 2026-12-06). The caller passes how many connections
     * the write endpoint's pool held, so as many writers as were writing find one.
     */
    void warm(List<HostSpec> hosts, int connections) {
        if (!enabled || closed.get()) {
            return;
        }
        for (HostSpec host : hosts) {
            HostPool pool = pools.computeIfAbsent(host, opener);
            if (closedMeanwhile(host, pool)) {
                return;
            }
            pool.warm(Math.max(1, connections), () -> { });
        }
        if (endpointUsable.getAsBoolean()) {
            retire();
        }
    }

    /**
     * Whether the data source was closed while {@code pool} was being made: {@link #close} may have run before the pool
     * was in the map, so it is closed here (a borrow from it then fails at once) instead of leaking its connections.
     */
    private boolean closedMeanwhile(HostSpec host, HostPool pool) {
        if (!closed.get()) {
            return false;
        }
        pools.remove(host, pool);
        pool.close();
        return true;
    }

    /** The write endpoint leads to a primary again: writes go through it, the direct pools close in the background. */
    void retire() {
        HostSpec was = target.getAndSet(null);
        if (was != null) {
            log.info("pgflip writes go through {} again (they went directly to {} meanwhile)", endpoint, was);
        }
        for (HostSpec host : List.copyOf(pools.keySet())) {
            HostPool pool = pools.remove(host);
            if (pool != null) {
                pool.closeWhenIdle();
            }
        }
    }

    /** {@code host} stopped being a writable primary: drop its direct pool's idle connections, and cut its lent ones. */
    void evictIdle(HostSpec host, boolean abortInFlight) {
        HostPool pool = pools.get(host);
        if (pool != null) {
            pool.evictIdle();
            if (abortInFlight) {
                pool.abortInFlight();
            }
        }
    }

    /** The pools made and not retired yet (for tests). */
    Map<HostSpec, HostPool> open() {
        return Map.copyOf(pools);
    }

    /** Closes every pool now; nothing is warmed afterwards. */
    void close() {
        closed.set(true);
        pools.values().forEach(HostPool::close);
    }
}
