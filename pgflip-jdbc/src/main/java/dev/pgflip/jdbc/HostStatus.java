package dev.pgflip.jdbc;

import java.time.Duration;

/**
 * One host in one role as its monitor last saw it: an immutable snapshot, for health checks and dashboards.
 *
 * @param host       the endpoint
 * @param role       {@code writer} or {@code reader}
 * @param state      {@link HostState#UNKNOWN UNKNOWN} (not probed yet), {@code PRIMARY}, {@code READ_ONLY} (not in
 *                   recovery, but new transactions are read-only), {@code STALE_PRIMARY} (a primary on an older
 *                   timeline than the newest one seen: an old primary nothing fenced), {@code STANDBY},
 *                   {@code LAGGING} (replaying further behind than maxReplicaLag) or {@code DOWN}
 * @param usable     whether pgflip routes to it in its role (the writer: a writable primary; a reader: a standby
 *                   within the lag limit, or a primary as last resort)
 * @param replayLag  replay lag seen by the last answered probe (zero on a primary)
 * @param lsn        the replayed (standby) or current (primary) WAL position of the last answered probe, or null
 * @param inStateFor how long the host has been in this state
 * @param lastFailure why the last probe failed, while DOWN or while a failed probe awaits confirmation (the host is
 *                   still routed to until {@code pgflip.down-after-probe-failures} probes in a row failed); else null
 */
public record HostStatus(HostSpec host, String role, HostState state, boolean usable, Duration replayLag, String lsn,
                         Duration inStateFor, String lastFailure) {
}
