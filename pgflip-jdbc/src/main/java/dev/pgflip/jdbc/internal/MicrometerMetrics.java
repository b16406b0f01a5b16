package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code pgflip.*} meters: {@code pgflip.routed} (role, host), {@code pgflip.failovers}, {@code pgflip.evictions}
 * (role, host), {@code pgflip.retries}, {@code pgflip.commits.ambiguous}, and gauges {@code pgflip.host.healthy}
 * (1 usable, 0 not) and {@code pgflip.host.replay.lag} (ms) per role and host.
 */
final class MicrometerMetrics implements ClusterMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

    private MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static ClusterMetrics create(Object registry) {
        return new MicrometerMetrics((MeterRegistry) registry);
    }

    @Override
    public void routed(Role role, HostSpec host) {
        Counter.builder("pgflip.routed").description("connections routed by intent").tag("role", role.label())
                .tag("host", host.toString()).register(registry).increment();
    }

    @Override
    public void failover(HostSpec writer) {
        Counter.builder("pgflip.failovers").description("writer came back writable after being down or read-only")
                .tag("host", writer.toString()).register(registry).increment();
    }

    @Override
    public void eviction(Role role, HostSpec host) {
        Counter.builder("pgflip.evictions").description("pool-wide evictions of idle connections")
                .tag("role", role.label()).tag("host", host.toString()).register(registry).increment();
    }

    @Override
    public void retry() {
        registry.counter("pgflip.retries").increment();
    }

    @Override
    public void ambiguousCommit() {
        registry.counter("pgflip.commits.ambiguous").increment();
    }

    @Override
    public void health(Role role, HostSpec host, HostHealth health) {
        boolean usable = role == Role.WRITER ? health.state().writable() : health.state().readable();
        gauge("pgflip.host.healthy", role, host).set(usable ? 1 : 0);
        gauge("pgflip.host.replay.lag", role, host).set(health.replayLag().toMillis());
    }

    private AtomicLong gauge(String name, Role role, HostSpec host) {
        return gauges.computeIfAbsent(name + '|' + role + '|' + host, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::doubleValue).tag("role", role.label()).tag("host", host.toString())
                    .register(registry);
            return value;
        });
    }
}
