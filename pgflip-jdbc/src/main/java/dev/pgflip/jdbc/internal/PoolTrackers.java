package dev.pgflip.jdbc.internal;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HikariCP's own metrics tracker (e.g. its {@code MicrometerMetricsTrackerFactory}: {@code hikaricp.connections.*}
 * tagged {@code pool=pgflip-<name>-writer}) for every pool of one data source, one tracker per pool name across the
 * pool's generations.
 *
 * <p>Why not HikariCP's factory directly: {@link HostPool#renew()} opens the new HikariCP pool, under the same name,
 * before the old one closes. Micrometer would hand the new pool the gauges already registered under that name, still
 * reading the old pool, and the old pool's close would then remove them: after the first renewal the pool would have no
 * {@code hikaricp.*} meters at all. Here each name gets one tracker, made on the pool's first generation, over pool
 * statistics that read whichever generation opened last; a generation's close leaves it alone, and {@link #close()}
 * (the data source's) removes them all.
 */
final class PoolTrackers implements MetricsTrackerFactory, AutoCloseable {
    private final MetricsTrackerFactory hikari;
    private final Map<String, Shared> byPool = new ConcurrentHashMap<>();

    PoolTrackers(MetricsTrackerFactory hikari) {
        this.hikari = hikari;
    }

    @Override
    public IMetricsTracker create(String poolName, PoolStats generationStats) {
        Shared shared = byPool.computeIfAbsent(poolName, name -> {
            CurrentGeneration stats = new CurrentGeneration(generationStats);
            return new Shared(stats, hikari.create(name, stats));
        });
        shared.stats.current.set(generationStats);
        return shared.generationView();
    }

    /** Removes every pool's meters (HikariCP's tracker close does that). */
    @Override
    public void close() {
        byPool.values().forEach(s -> s.tracker.close());
        byPool.clear();
    }

    private record Shared(CurrentGeneration stats, IMetricsTracker tracker) {
        /** What one generation records into; its close (the generation's) keeps the pool's meters. */
        IMetricsTracker generationView() {
            return new IMetricsTracker() {
                @Override public void recordConnectionCreatedMillis(long ms) { tracker.recordConnectionCreatedMillis(ms); }
                @Override public void recordConnectionAcquiredNanos(long ns) { tracker.recordConnectionAcquiredNanos(ns); }
                @Override public void recordConnectionUsageMillis(long ms) { tracker.recordConnectionUsageMillis(ms); }
                @Override public void recordConnectionTimeout() { tracker.recordConnectionTimeout(); }
                @Override public void close() { }
            };
        }
    }

    /** The statistics of the newest generation, read through (HikariCP's own caching is on that generation's). */
    private static final class CurrentGeneration extends PoolStats {
        final AtomicReference<PoolStats> current;

        CurrentGeneration(PoolStats first) {
            super(0);
            this.current = new AtomicReference<>(first);
        }

        @Override
        protected void update() {
            PoolStats s = current.get();
            totalConnections = s.getTotalConnections();
            idleConnections = s.getIdleConnections();
            activeConnections = s.getActiveConnections();
            pendingThreads = s.getPendingThreads();
            maxConnections = s.getMaxConnections();
            minConnections = s.getMinConnections();
        }
    }
}
