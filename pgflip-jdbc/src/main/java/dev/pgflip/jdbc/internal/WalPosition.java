package dev.pgflip.jdbc.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.replication.LogSequenceNumber;

/**
 * A point in one cluster's WAL history: an LSN on a timeline. An LSN alone names different WAL on different
 * timelines once a promotion forked them (the old primary may have written past the fork point, and the new
 * timeline continues from that point with other records), so a read-your-writes session keeps the timeline its
 * commit was made on as well.
 *
 * @param timeline the timeline, or {@link ProbeResult#UNKNOWN_TIMELINE} (a token from before timelines were kept, or
 *     a standby that does not show it)
 * @param lsn      the LSN, or null when the server reported none
 */
public record WalPosition(long timeline, LogSequenceNumber lsn) {
    /**
     * A server's timeline. A primary's is the first field of its current WAL file name, right from the promotion on
     * ({@code pg_control_checkpoint()} lags until the next checkpoint; {@code pg_walfile_name()} is refused in
     * recovery). A standby's is the timeline its WAL receiver last received WAL on (NULL, so 0, while no WAL receiver
     * runs, and for a user without {@code pg_read_all_stats}, e.g. through {@code pg_monitor}).
     */
    public static final String TIMELINE_SQL = "CASE WHEN pg_is_in_recovery()"
            + " THEN COALESCE((SELECT received_tli FROM pg_stat_wal_receiver), 0)"
            + " ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::bigint END";
    /** A server's LSN: replayed on a standby, current on a primary. */
    public static final String LSN_SQL =
            "(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text";
    /** Where a server is now: LSN, timeline. */
    public static final String QUERY = "SELECT " + LSN_SQL + ", " + TIMELINE_SQL;

    private static final Pattern TOKEN = Pattern.compile("([0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8})(?:@([1-9][0-9]{0,9}))?");

    /** Where a probe answer says the host is (its last answer's LSN and timeline); null before any answer. */
    public static WalPosition of(ProbeResult answer) {
        if (answer == null) {
            return null;
        }
        return new WalPosition(answer.timeline(), answer.lsn() == null ? null : LogSequenceNumber.valueOf(answer.lsn()));
    }

    /**
     * A read-your-writes token: {@code 0/3000060@3} (LSN on timeline 3), or the LSN alone ({@code 0/3000060}, as
     * tokens were before they carried the timeline: read with the LSN alone, as then).
     */
    public static WalPosition parseToken(String token) {
        Matcher m = TOKEN.matcher(token.trim());
        LogSequenceNumber lsn = m.matches() ? LogSequenceNumber.valueOf(m.group(1)) : LogSequenceNumber.INVALID_LSN;
        if (lsn.equals(LogSequenceNumber.INVALID_LSN)) {
            throw new IllegalArgumentException("read-your-writes token '" + token + "' is not a WAL position: expected"
                    + " an LSN and its timeline, e.g. 0/3000060@3 (or an LSN alone, e.g. 0/3000060)");
        }
        long timeline = m.group(2) == null ? ProbeResult.UNKNOWN_TIMELINE : Long.parseLong(m.group(2));
        return new WalPosition(timeline, lsn);
    }

    /** The token for this position: {@code lsn@timeline}, or the LSN alone while the timeline is unknown. */
    public String token() {
        return timeline == ProbeResult.UNKNOWN_TIMELINE ? lsn.asString() : lsn.asString() + "@" + timeline;
    }

    /**
     * The later of two positions of one session (either may be null). Between two known timelines the newer one wins:
     * the session committed there after the promotion, and what it wrote on the older one past the fork point is lost
     * to every node anyway. Otherwise the higher LSN wins, as before timelines were kept.
     */
    public static WalPosition later(WalPosition a, WalPosition b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        boolean bothKnown = a.timeline != ProbeResult.UNKNOWN_TIMELINE && b.timeline != ProbeResult.UNKNOWN_TIMELINE;
        if (bothKnown && a.timeline != b.timeline) {
            return b.timeline > a.timeline ? b : a;
        }
        int byLsn = b.lsn.compareTo(a.lsn);
        return byLsn > 0 || (byLsn == 0 && a.timeline == ProbeResult.UNKNOWN_TIMELINE) ? b : a;
    }
}
