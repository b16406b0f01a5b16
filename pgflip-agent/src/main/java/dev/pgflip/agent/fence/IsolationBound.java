package dev.pgflip.agent.fence;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.repmgr.RepmgrConf;
import java.time.Duration;

/**
 * How long a primary may be cut off from every peer before it must refuse writes: shorter than the earliest moment
 * repmgrd on a standby can start promote_command after losing the primary silently.
 *
 * <p>The arithmetic, from the standby's repmgr.conf (repmgrd 5.3, physical replication):
 * <ul>
 *   <li>one failed check of a silent primary takes {@code check} = the smaller of libpq's connect_timeout (at least
 *       2 s; repmgrd adds 2 when the conninfo has none) and, with tcp_user_timeout set, the first SYN retransmission
 *       (1 s, 3 s, 7 s, … after the connect) at or after tcp_user_timeout;
 *   <li>repmgrd declares the primary lost after its monitor check fails and then {@code reconnect_attempts} more,
 *       sleeping {@code reconnect_interval} between those attempts (not after the last);
 *   <li>the first check may already be under way when the partition starts, so it can fail as early as
 *       tcp_user_timeout after it; the monitor interval only ever adds time, so the earliest promote_command is
 *       {@code first + reconnect_attempts × check + (reconnect_attempts − 1) × reconnect_interval};
 *   <li>the fence itself must be in place before then. The isolation is counted from the start of the last probe
 *       that reached a peer, which began before the partition, so it never runs behind the partition; the decision
 *       looks every {@link SelfFencing#ISOLATION_TICK_MS} ms without network I/O, one probe period is allowed for a
 *       look delayed by a loaded machine, and the fence needs a moment to apply, so
 *       {@code bound = earliest − probe period − isolation tick − fence time}.
 * </ul>
 * With the lab's settings (connect_timeout=2, tcp_user_timeout=900, reconnect_attempts=1) the earliest
 * promote_command is 1.9 s after the partition and the bound 1.35 s. (It was 1.15 s, two probe periods off, while
 * the decision could wait on the witness: a blip of 0.85 s then fenced the primary on a loaded lab, and the fence's
 * restart itself made the standby promote.)
 */
public record IsolationBound(Duration earliestPromotion, Duration bound) {
    /** Time allowed for the fence (ALTER SYSTEM, reload, terminating sessions) to take effect. */
    public static final Duration FENCE_TIME = Duration.ofMillis(250);
    private static final int[] SYN_RETRANSMIT_SECONDS = {1, 3, 7, 15, 31, 63, 127};
    private static final int REPMGR_DEFAULT_RECONNECT_ATTEMPTS = 6;
    private static final int REPMGR_DEFAULT_RECONNECT_INTERVAL = 10;

    /** @throws IllegalArgumentException naming the file and setting when repmgr.conf cannot give the bound */
    public static IsolationBound derive(RepmgrConf conf, Duration probeInterval) {
        if (!conf.isValid()) {
            throw new IllegalArgumentException(conf.file() + ": " + String.join("; ", conf.problems()));
        }
        Conninfo conninfo = Conninfo.parse(conf.value("conninfo").orElseThrow(() -> new IllegalArgumentException(
                conf.file() + " has no conninfo: every repmgr node needs one (see repmgr.conf.sample)")));
        int attempts = intValue(conf, "reconnect_attempts", REPMGR_DEFAULT_RECONNECT_ATTEMPTS);
        int intervalSeconds = intValue(conf, "reconnect_interval", REPMGR_DEFAULT_RECONNECT_INTERVAL);
        long check = failedCheckMillis(conninfo);
        long userTimeout = conninfo.intValue("tcp_user_timeout").orElse(0);
        long first = userTimeout > 0 ? Math.min(check, userTimeout) : check;
        long earliest = first + attempts * check + Math.max(0, attempts - 1) * intervalSeconds * 1000L;
        long bound = earliest - probeInterval.toMillis() - SelfFencing.ISOLATION_TICK_MS - FENCE_TIME.toMillis();
        return new IsolationBound(Duration.ofMillis(earliest), Duration.ofMillis(bound));
    }

    private static int intValue(RepmgrConf conf, String key, int repmgrDefault) {
        return conf.value(key).map(v -> {
            try {
                return Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(conf.file() + ": " + key + "=" + v + " is not a whole number");
            }
        }).orElse(repmgrDefault);
    }

    /** One failed connection attempt to a node that answers nothing. */
    static long failedCheckMillis(Conninfo conninfo) {
        int connectTimeout = conninfo.intValue("connect_timeout").orElse(2);
        long byConnectTimeout = connectTimeout <= 0 ? Long.MAX_VALUE : Math.max(2, connectTimeout) * 1000L;
        int userTimeout = conninfo.intValue("tcp_user_timeout").orElse(0);
        long bySyn = SYN_RETRANSMIT_SECONDS[SYN_RETRANSMIT_SECONDS.length - 1] * 1000L;
        if (userTimeout > 0) {
            for (int s : SYN_RETRANSMIT_SECONDS) {
                if (s * 1000L >= userTimeout) {
                    bySyn = s * 1000L;
                    break;
                }
            }
        }
        return Math.min(byConnectTimeout, bySyn);
    }
}
