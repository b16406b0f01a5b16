package dev.pgflip.agent.repmgrd;

import java.time.Duration;

/**
 * Whether a standby's repmgrd looks stuck in a wait of its own while its upstream is plainly there. repmgrd updates
 * {@code upstream_last_seen} at every monitor loop in which the upstream answers; a standby that streams from its
 * upstream while repmgrd has not seen it for several loops has a repmgrd that is not looping: in repmgr 5.3 that is
 * the election's wait for a candidate's notice ({@code primary_notification_timeout}, 60 s by default), entered when a
 * partial partition cut this node alone from the primary and a sibling that still saw the primary was made the
 * candidate. The candidate never promotes (its primary is alive), and a primary that dies while the wait runs gets
 * no failover from this node (seen on the lab: no promotion at all with two standbys).
 */
public final class StalledWaitRule {
    /** The verdicts; only {@link #STALLED_WHILE_STREAMING} may lead to a release, after the upstream is asked. */
    public enum Verdict {
        /** Not in recovery: a primary's or witness's repmgrd has no upstream to wait on. */
        NOT_A_STANDBY,
        /** repmgrd is not running, or has not looked since PostgreSQL started: nothing to release. */
        REPMGRD_NOT_LOOKING,
        /** repmgrd saw its upstream recently: it loops. */
        FRESH,
        /** Stale, and this node does not stream: the upstream may really be gone; repmgrd's own failover must run. */
        STALLED_NOT_STREAMING,
        /** Stale while the walreceiver streams: repmgrd is stuck in a wait, its upstream is there. */
        STALLED_WHILE_STREAMING;

        /** repmgrd runs and has not seen its upstream for the bound, whatever the walreceiver does. */
        public boolean stalled() {
            return this == STALLED_NOT_STREAMING || this == STALLED_WHILE_STREAMING;
        }
    }

    private StalledWaitRule() {}

    /**
     * How long repmgrd may not have seen its upstream before it is called stalled: three monitor loops and a failed
     * check's 2 s (libpq's connect_timeout floor), at least 5 s, so a loop slowed by one timed-out check is not one.
     */
    public static Duration staleAfter(int monitorIntervalSecs) {
        return Duration.ofSeconds(Math.max(5, 3L * monitorIntervalSecs + 2));
    }

    public static Verdict judge(RepmgrdSight sight, Duration staleAfter) {
        if (!sight.inRecovery()) {
            return Verdict.NOT_A_STANDBY;
        }
        if (!sight.repmgrdRunning() || sight.upstreamLastSeenSeconds() == RepmgrdSight.NEVER_SEEN) {
            return Verdict.REPMGRD_NOT_LOOKING;
        }
        if (sight.upstreamLastSeenSeconds() < staleAfter.toSeconds()) {
            return Verdict.FRESH;
        }
        return sight.streamingFrom().isPresent() ? Verdict.STALLED_WHILE_STREAMING : Verdict.STALLED_NOT_STREAMING;
    }
}
