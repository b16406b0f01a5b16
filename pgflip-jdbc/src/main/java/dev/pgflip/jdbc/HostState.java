package dev.pgflip.jdbc;

/**
 * What the last probe of a host found, as {@link HostStatus#state()} reports it. The names are what the health
 * indicator and the logs show ({@code "PRIMARY"}, {@code "STANDBY"}, ...).
 */
public enum HostState {
    /** Not probed yet. */
    UNKNOWN,
    /** Answering and not in recovery: may take writes. */
    PRIMARY,
    /**
     * Answering, not in recovery, but new transactions are read-only ({@code default_transaction_read_only=on}, e.g. a
     * fenced old primary): may serve reads, takes no writes (25006).
     */
    READ_ONLY,
    /**
     * Answering, not in recovery, but on an older timeline than the newest primary this data source has seen: an old
     * primary back from a partition that nothing fenced. Its writes would be lost at its rejoin and its data may have
     * diverged, so it takes neither writes nor reads.
     */
    STALE_PRIMARY,
    /** Answering, in recovery, replay lag within the limit: a reader. */
    STANDBY,
    /** Answering, in recovery, but replaying further behind than maxReplicaLag: out of the read rotation. */
    LAGGING,
    /** Not answering within the probe timeout, refusing connections, or shutting down. */
    DOWN
}
