package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;

/** What pgflip counts; Micrometer behind it when present (see {@link #create(Object)}), nothing otherwise. */
public interface ClusterMetrics {

    void routed(Role role, HostSpec host);

    /** The writer became writable again after being down or read-only. */
    void failover(HostSpec writer);

    void eviction(Role role, HostSpec host);

    void retry();

    void ambiguousCommit();

    void health(Role role, HostSpec host, HostHealth health);

    ClusterMetrics NONE = new ClusterMetrics() {
        @Override public void routed(Role role, HostSpec host) { }
        @Override public void failover(HostSpec writer) { }
        @Override public void eviction(Role role, HostSpec host) { }
        @Override public void retry() { }
        @Override public void ambiguousCommit() { }
        @Override public void health(Role role, HostSpec host, HostHealth health) { }
    };

    /**
     * Micrometer metrics on the given registry, or none when it is null. MicrometerMetrics is only loaded here, so
     * applications without Micrometer on the class path never touch its types.
     */
    static ClusterMetrics create(Object meterRegistry) {
        return meterRegistry == null ? NONE : MicrometerMetrics.create(meterRegistry);
    }
}
