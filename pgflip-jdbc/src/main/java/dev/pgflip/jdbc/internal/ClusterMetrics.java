package dev.pgflip.jdbc.internal;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import dev.pgflip.jdbc.HostSpec;

/** What pgflip counts; Micrometer behind it when present (see {@link #create(Object)}), nothing otherwise. */
public interface ClusterMetrics extends AutoCloseable {

    /** The counters of one host in one role, resolved once per pool so a borrow does no registry lookup. */
    interface HostCounters {
        void routed();

        void evicted();
    }

    HostCounters host(Role role, HostSpec host);

    /**
     * Gauges reading the tracker's live health (usable, replay lag), registered once per host and role; for the writer
     * also its failover counter, so every meter exists from the start (at 0), not from the first failover.
     */
    void track(HostTracker tracker);

    /** HikariCP's own metrics for every pool of the data source (see {@link PoolTrackers}), or null for none. */
    MetricsTrackerFactory poolTrackers();

    /** The writer became writable again after being down or read-only. */
    void failover(HostSpec writer);

    void retry();

    void ambiguousCommit();

    /** Removes this data source's meters, so a later data source on the same registry registers its own. */
    @Override
    void close();

    HostCounters NO_COUNTERS = new HostCounters() {
        @Override public void routed() { }
        @Override public void evicted() { }
    };

    ClusterMetrics NONE = new ClusterMetrics() {
        @Override public HostCounters host(Role role, HostSpec host) { return NO_COUNTERS; }
        @Override public void track(HostTracker tracker) { }
        @Override public MetricsTrackerFactory poolTrackers() { return null; }
        @Override public void failover(HostSpec writer) { }
        @Override public void retry() { }
        @Override public void ambiguousCommit() { }
        @Override public void close() { }
    };

    /**
     * Micrometer metrics on the given registry, or none when it is null. MicrometerMetrics is only loaded here, so
     * applications without Micrometer on the class path never touch its types.
     */
    static ClusterMetrics create(Object meterRegistry) {
        return meterRegistry == null ? NONE : MicrometerMetrics.create(meterRegistry);
    }
}
