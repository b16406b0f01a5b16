package dev.pgflip.jdbc.internal;

import java.time.Duration;

/**
 * An immutable snapshot of one host's health: its state, the probe answer it was last classified from (null before
 * the first answer; kept while DOWN), how many probes in a row have failed since that answer, and the last failure
 * (set while DOWN, or while a failed probe awaits confirmation; null once the host answers).
 */
public record HostHealth(HostState state, ProbeResult answer, String lastFailure, int failures, long sinceNanos) {

    public static HostHealth unknown(long nowNanos) {
        return new HostHealth(HostState.UNKNOWN, null, null, 0, nowNanos);
    }

    /** A probe failed but the host is not DOWN (yet): the monitor confirms it quickly. */
    public boolean suspect() {
        return failures > 0 && state != HostState.DOWN;
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
        return new HostHealth(next, r, null, 0, next == state ? sinceNanos : nowNanos);
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
        return next == state ? this : new HostHealth(next, answer, lastFailure, failures, nowNanos);
    }

    /**
     * The health after a probe failed: DOWN once {@code downAfter} probes in a row have failed, or at once when the
     * server refused (nothing listening, or shutting down) or had never answered.
     *
     * <p>Why not DOWN at the first timeout: a probe also times out on a healthy primary that is merely slow for a
     * moment (a checkpoint's I/O burst, a loaded 2-core droplet, a GC pause on our side), and DOWN aborts every write
     * in flight on it, each an error or an ambiguous commit for the application. Why not many: each extra failure is
     * added to the time a really silent host keeps callers waiting. A failed probe closes its connection, so the
     * confirming one, 20 ms later, starts with the 250 ms TCP check: a host gone silent on the network (link down, a
     * moved floating IP) is DOWN about 0.27 s later than at its first timeout; a server that hangs while its kernel
     * still accepts TCP (a frozen postgres) costs up to one more probe timeout (1 s by default). One slow answer on a
     * healthy primary aborts nothing.
     */
    public HostHealth failed(ProbeFailure failure, int downAfter, long nowNanos) {
        int inARow = failures == Integer.MAX_VALUE ? failures : failures + 1;
        boolean down = failure.refused() || inARow >= downAfter || state == HostState.UNKNOWN
                || state == HostState.DOWN;
        HostState next = down ? HostState.DOWN : state;
        return new HostHealth(next, answer, failure.description(), inARow, next == state ? sinceNanos : nowNanos);
    }
}
