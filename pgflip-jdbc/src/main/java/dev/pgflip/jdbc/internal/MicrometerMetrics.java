package dev.pgflip.jdbc.internal;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.pgflip.jdbc.HostSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code pgflip.*} meters: counters {@code pgflip.routed} (role, host: connections lent), {@code pgflip.evictions}
 * (role, host: pool-wide evictions), {@code pgflip.failovers} (host), {@code pgflip.retries},
 * {@code pgflip.commits.ambiguous}; gauge {@code pgflip.host.healthy} (1 usable in its role, 0 not) and time gauge
 * {@code pgflip.host.replay.lag} (0 on a primary) per role and host. Every one is registered when the data source is
 * built, counters at 0, so a dashboard or alert sees the series before the first event. Gauges read the host's tracker
 * on each scrape, so the lag is current even while the state does not change. Counters are resolved once per host: a
 * borrow only increments. Beside them, HikariCP's own {@code hikaricp.*} meters per pool ({@link PoolTrackers}).
 */
final class MicrometerMetrics implements ClusterMetrics {
    private final MeterRegistry registry;
    private final List<Meter> registered = new CopyOnWriteArrayList<>();
    private final Counter retries;
    private final Counter ambiguousCommits;
    private final PoolTrackers poolTrackers;
    /** The writer's failover counter, registered with its tracker: a failover then only increments. */
    private final Map<HostSpec, Counter> failovers = new ConcurrentHashMap<>();

    private MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.retries = keep(Counter.builder("pgflip.retries").description("units of work run again after a connection"
                + " failure before COMMIT").register(registry));
        this.ambiguousCommits = keep(Counter.builder("pgflip.commits.ambiguous").description("COMMITs whose outcome is"
                + " unknown (the connection failed during COMMIT)").register(registry));
        this.poolTrackers = new PoolTrackers(new MicrometerMetricsTrackerFactory(registry));
    }

    static ClusterMetrics create(Object registry) {
        return new MicrometerMetrics((MeterRegistry) registry);
    }

    private <M extends Meter> M keep(M meter) {
        registered.add(meter);
        return meter;
    }

    @Override
    public HostCounters host(Role role, HostSpec host) {
        Counter routed = keep(Counter.builder("pgflip.routed").description("connections lent, by role and host")
                .tag("role", role.label()).tag("host", host.toString()).register(registry));
        Counter evictions = keep(Counter.builder("pgflip.evictions").description("pool-wide evictions of the idle"
                + " connections of a failed host").tag("role", role.label()).tag("host", host.toString())
                .register(registry));
        return new HostCounters() {
            @Override public void routed() { routed.increment(); }
            @Override public void evicted() { evictions.increment(); }
        };
    }

    @Override
    public void track(HostTracker tracker) {
        String role = tracker.role().label();
        String host = tracker.host().toString();
        keep(Gauge.builder("pgflip.host.healthy", tracker, t -> t.usable() ? 1 : 0)
                .description("1 while the host is usable in its role (a primary for the writer, a standby or primary"
                        + " within maxReplicaLag for a reader), else 0")
                .tag("role", role).tag("host", host).register(registry));
        // A time gauge: the registry exports it in its base unit (seconds for Prometheus), like other durations.
        keep(TimeGauge.builder("pgflip.host.replay.lag", tracker, TimeUnit.NANOSECONDS,
                        t -> t.health().replayLag().toNanos())
                .description("replay lag seen by the last answered probe").tag("role", role).tag("host", host)
                .register(registry));
        if (tracker.role() == Role.WRITER) {
            failovers.put(tracker.host(), keep(Counter.builder("pgflip.failovers").description("writer came back"
                    + " writable after being down or read-only").tag("host", host).register(registry)));
        }
    }

    @Override
    public MetricsTrackerFactory poolTrackers() {
        return poolTrackers;
    }

    @Override
    public void failover(HostSpec writer) {
        // Only a tracked writer fails over; after close() the counter is gone from the registry and stays gone.
        Counter c = failovers.get(writer);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void retry() {
        retries.increment();
    }

    @Override
    public void ambiguousCommit() {
        ambiguousCommits.increment();
    }

    @Override
    public void close() {
        poolTrackers.close();
        for (Meter m : registered) {
            registry.remove(m);
        }
        registered.clear();
    }
}
