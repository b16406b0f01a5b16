package dev.pgflip.agent.db;

/**
 * How the agent reads a node's timeline in SQL, in one place. A primary's timeline is the first field of its current
 * WAL file name, right from the moment of promotion (pg_control_checkpoint() lags until the next checkpoint);
 * pg_walfile_name() is refused in recovery, where the last checkpoint's timeline is the one known.
 */
public final class NodeTimeline {
    private NodeTimeline() {}

    /** The timeline of a primary; an error on a node in recovery, so guard it with {@code pg_is_in_recovery()}. */
    public static final String OF_PRIMARY = "('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::bigint";

    /** The primary's timeline, 0 on a node in recovery. */
    public static final String OF_PRIMARY_ELSE_ZERO = "CASE WHEN pg_is_in_recovery() THEN 0 ELSE " + OF_PRIMARY + " END";

    /** One row, one column: the node's timeline, primary or in recovery. */
    public static final String QUERY = "SELECT CASE WHEN pg_is_in_recovery()"
            + " THEN (SELECT timeline_id FROM pg_control_checkpoint()) ELSE " + OF_PRIMARY + " END";
}
