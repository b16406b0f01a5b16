package dev.pgflip.jdbc.internal;

import java.time.Duration;

/**
 * One answer of a host to the health query: whether it is in recovery, how far replay is behind (zero on a primary and
 * on a standby that has replayed all it received), and its LSN (replayed on a standby, current on a primary).
 */
public record ProbeResult(boolean inRecovery, Duration replayLag, String lsn) {

    /** The host state this answer means, given the lag limit. */
    public HostState state(Duration maxReplicaLag) {
        if (!inRecovery) {
            return HostState.PRIMARY;
        }
        return replayLag.compareTo(maxReplicaLag) > 0 ? HostState.LAGGING : HostState.STANDBY;
    }
}
