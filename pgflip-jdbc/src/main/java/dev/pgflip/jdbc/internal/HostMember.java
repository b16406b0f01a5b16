package dev.pgflip.jdbc.internal;

/** One host in one role, with everything that watches and serves it. */
public record HostMember(HostPool pool, HostTracker tracker, HostMonitor monitor) {

    /** Stops the monitor (bounded by its join), then closes the pool. */
    void close() {
        try {
            monitor.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }
}
