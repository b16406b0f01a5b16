package dev.pgflip.jdbc.internal;

import java.time.Duration;

/**
 * One answer of a host to the health query: whether it is in recovery, whether new transactions are read-only
 * ({@code transaction_read_only}, true on a standby and on a primary fenced with {@code default_transaction_read_only}),
 * how far replay is behind (zero on a primary and on a standby that has replayed all it received), its LSN (replayed on
 * a standby, current on a primary), its timeline, and its cluster's {@code system_identifier} (which tells a restored or
 * upgraded cluster, whose timelines started over, from the one the timeline mark was recorded for).
 */
public record ProbeResult(boolean inRecovery, boolean readOnly, Duration replayLag, String lsn, long timeline,
                          long systemIdentifier) {
    /**
     * A timeline that was not reported: a standby's while no WAL receiver runs or when the user may not see it (see
     * {@link WalPosition#TIMELINE_SQL}), or an answer from before the timeline was asked.
     */
    public static final long UNKNOWN_TIMELINE = 0;
    /** A system identifier that was not reported (the user may not call {@code pg_control_system()}). */
    public static final long UNKNOWN_SYSTEM = 0;

    public ProbeResult(boolean inRecovery, boolean readOnly, Duration replayLag, String lsn, long timeline) {
        this(inRecovery, readOnly, replayLag, lsn, timeline, UNKNOWN_SYSTEM);
    }

    public ProbeResult(boolean inRecovery, boolean readOnly, Duration replayLag, String lsn) {
        this(inRecovery, readOnly, replayLag, lsn, UNKNOWN_TIMELINE);
    }

    /** An answer whose read-only flag follows from recovery alone (a standby is read-only, a primary is not). */
    public ProbeResult(boolean inRecovery, Duration replayLag, String lsn) {
        this(inRecovery, inRecovery, replayLag, lsn);
    }

    /** The host state this answer means, given the lag limit and the newest primary timeline seen so far. */
    public HostState state(Duration maxReplicaLag, long newestTimeline) {
        if (!inRecovery && timeline != UNKNOWN_TIMELINE && timeline < newestTimeline) {
            return HostState.STALE_PRIMARY;
        }
        return state(maxReplicaLag);
    }

    /** The host state this answer means, given the lag limit. */
    public HostState state(Duration maxReplicaLag) {
        if (!inRecovery) {
            // pgjdbc's targetServerType=primary refuses such a server too (it asks transaction_read_only): calling it
            // PRIMARY would let callers wait on a writer whose pool can never open a connection.
            return readOnly ? HostState.READ_ONLY : HostState.PRIMARY;
        }
        return replayLag.compareTo(maxReplicaLag) > 0 ? HostState.LAGGING : HostState.STANDBY;
    }
}
