package dev.pgflip.jdbc.internal;

import java.time.Duration;

/** An immutable snapshot of one host's health: its state, replay lag, LSN, and the failure that put it DOWN. */
public record HostHealth(HostState state, Duration replayLag, String lsn, String lastFailure, long sinceNanos) {

    public static HostHealth unknown(long nowNanos) {
        return new HostHealth(HostState.UNKNOWN, Duration.ZERO, null, null, nowNanos);
    }

    /** The health after a probe answered; {@code since} moves only when the state changes. */
    public HostHealth answered(ProbeResult r, Duration maxReplicaLag, long newestTimeline, long nowNanos) {
        HostState next = r.state(maxReplicaLag, newestTimeline);
        return new HostHealth(next, r.replayLag(), r.lsn(), null, next == state ? sinceNanos : nowNanos);
    }

    /** The health after a probe failed. */
    public HostHealth failed(String failure, long nowNanos) {
        return new HostHealth(HostState.DOWN, replayLag, lsn, failure, state == HostState.DOWN ? sinceNanos : nowNanos);
    }
}
