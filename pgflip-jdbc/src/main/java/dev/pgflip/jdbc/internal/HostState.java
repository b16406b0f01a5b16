package dev.pgflip.jdbc.internal;

/**
 * What the last probe of a host found, with what it means for routing. {@link dev.pgflip.jdbc.HostStatus} reports it
 * as the public {@link dev.pgflip.jdbc.HostState} of the same name ({@link #toPublic()}).
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
    DOWN;

    /** May this host take writes? */
    public boolean writable() {
        return this == PRIMARY;
    }

    /** May this host serve reads (a standby preferred, a primary in the read list as last resort)? */
    public boolean readable() {
        return this == STANDBY || this == PRIMARY || this == READ_ONLY;
    }

    /** The public state of the same name (a switch, so a state added here does not compile until mapped). */
    public dev.pgflip.jdbc.HostState toPublic() {
        return switch (this) {
            case UNKNOWN -> dev.pgflip.jdbc.HostState.UNKNOWN;
            case PRIMARY -> dev.pgflip.jdbc.HostState.PRIMARY;
            case READ_ONLY -> dev.pgflip.jdbc.HostState.READ_ONLY;
            case STALE_PRIMARY -> dev.pgflip.jdbc.HostState.STALE_PRIMARY;
            case STANDBY -> dev.pgflip.jdbc.HostState.STANDBY;
            case LAGGING -> dev.pgflip.jdbc.HostState.LAGGING;
            case DOWN -> dev.pgflip.jdbc.HostState.DOWN;
        };
    }
}
