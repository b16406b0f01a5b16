package dev.pgflip.jdbc.internal;

import java.time.Duration;

/**
 * An immutable snapshot of one host's health: its state, the probe answer it was last classified from (null before
 * the first answer; kept while DOWN), and the failure that put it DOWN.
 */
public record HostHealth(HostState state, ProbeResult answer, String lastFailure, long sinceNanos) {

    public static HostHealth unknown(long nowNanos) {
        return new HostHealth(HostState.UNKNOWN, null, null, nowNanos);
    }

    /** Replay lag seen by the last answer (zero before any). */
    public Duration replayLag() {
        return answer == null ? Duration.ZERO : answer.replayLag();
    }

    /** The WAL position of the last answer, or null before any. */
    public String lsn() {
        return answer == null ? null : answer.lsn();
    }

    /** The health after a probe answered; {@code since} moves only when the state changes. */
    public HostHealth answered(ProbeResult r, Duration maxReplicaLag, long newestTimeline, long nowNanos) {
        HostState next = r.state(maxReplicaLag, newestTimeline);
        return new HostHealth(next, r, null, next == state ? sinceNanos : nowNanos);
    }

    /**
     * The health after the newest timeline mark moved, from the last answer alone (no probe): what that answer means
     * now. A host that is DOWN or not probed yet has no answer that could mean something else, and stays as it is.
     */
    public HostHealth reclassified(Duration maxReplicaLag, long newestTimeline, long nowNanos) {
        if (answer == null || state == HostState.DOWN || state == HostState.UNKNOWN) {
            return this;
        }
        HostState next = answer.state(maxReplicaLag, newestTimeline);
        return next == state ? this : new HostHealth(next, answer, null, nowNanos);
    }

    /** The health after a probe failed. */
    public HostHealth failed(String failure, long nowNanos) {
        return new HostHealth(HostState.DOWN, answer, failure, state == HostState.DOWN ? sinceNanos : nowNanos);
    }
}
