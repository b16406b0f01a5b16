package dev.pgflip.agent.watch;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Who may be promoted, kept on the witness (the third vote of the cluster, a PostgreSQL of its own) in one small
 * table, {@code pgflip.promotion}: the primary marks a standby <em>ineligible</em> before it degrades synchronous
 * replication, and the promote hook on a standby must <em>claim</em> its promotion there before it promotes. Row locks
 * on the witness order the two, so exactly one wins:
 * <ul>
 *   <li>the mark first: the claim fails and the standby is not promoted; commits the primary acknowledged alone, while
 *       degraded, exist on no other node and are not lost by a failover (Patroni's synchronous mode: only a node in
 *       {@code /sync} may be promoted);
 *   <li>the claim first: the mark fails, the primary does not degrade (its commits keep waiting, never acknowledged)
 *       and fences itself, since a standby is being promoted; a claim whose {@code repmgr standby promote} then
 *       refused is withdrawn by the hook, and the fence lifts once the cluster is whole again.
 * </ul>
 * A promoted node records its new timeline there too: an old primary that restarts while the new one is down finds
 * it was replaced (hole 3). A standby becomes eligible again once it streams from the primary with synchronous replication on and has flushed
 * everything acknowledged before. Why not repmgr's own {@code primary_visibility_consensus}: it cancels the election
 * whenever the witness saw the primary within two monitor intervals, which after a kill -9 detected in under two
 * seconds is always, and repmgrd never runs the election again (measured on the lab; repmgr issues #674, #742).
 *
 * <p>Claims and promotions are placed in time on the witness's clock ({@code claimed_at}; a claim in flight also by its
 * {@code changed_at}, which every agent version sets when it claims): a claim still in flight that a node's own later
 * claim or recorded promotion came after no longer outranks that node. The case: a node
 * promoted and killed for good within a second, before its watch recorded the promotion, left its claim in flight, and
 * the next node promoted fenced itself on it, leaving no primary (seen in the drill). The older claimer itself still
 * sees the newer claim and fences, so at most one of two nodes with claims in flight keeps writing.
 *
 * <p>The price, documented: a primary that degraded and then died is not replaced automatically (its standby missed
 * the commits it acknowledged alone); {@code pgflip promote --force} or {@code repmgr standby promote} by hand does it,
 * knowing what is lost.
 */
public final class PromotionClaims {
    private PromotionClaims() {}

    /** Idempotent; run before every use (the witness may have been rebuilt). */
    public static final String SCHEMA = "CREATE SCHEMA IF NOT EXISTS pgflip;"
            + " CREATE TABLE IF NOT EXISTS pgflip.promotion (node_name text PRIMARY KEY, eligible boolean NOT NULL,"
            + " promoting boolean NOT NULL DEFAULT false, changed_at timestamptz NOT NULL DEFAULT now(),"
            + " changed_by text NOT NULL, reason text NOT NULL DEFAULT '');"
            + " ALTER TABLE pgflip.promotion ADD COLUMN IF NOT EXISTS promoted_timeline bigint;"
            + " ALTER TABLE pgflip.promotion ADD COLUMN IF NOT EXISTS acknowledged_alone_from bigint;"
            + " ALTER TABLE pgflip.promotion ADD COLUMN IF NOT EXISTS claimed_at timestamptz";

    /**
     * Whether the schema must be created or brought up to date: its newest column is missing (a witness nothing was
     * claimed or marked on yet, one rebuilt, or one an older agent kept). One row, one boolean.
     */
    public static final String SCHEMA_MISSING = "SELECT NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid ="
            + " to_regclass('pgflip.promotion') AND attname = 'claimed_at' AND NOT attisdropped) AS missing";

    /**
     * $1 standby, $2 primary, $3 reason, $4 the primary's WAL position now (from which it acknowledges commits alone,
     * unless an earlier degrade already began that), $5 the primary again: returns a row when marked, none when the
     * standby is being promoted. A claim in flight made before the primary's own claim or promotion does not stop the
     * mark, it ends there: that standby claimed before the primary was promoted, and lacks what it acknowledges alone
     * (left standing, it stayed eligible and claimed for good after its node was killed right after its promotion).
     */
    public static final String MARK_INELIGIBLE = "INSERT INTO pgflip.promotion (node_name, eligible, changed_by, reason,"
            + " acknowledged_alone_from) VALUES (?, false, ?, ?, ?) ON CONFLICT (node_name) DO UPDATE SET eligible = false,"
            + " promoting = false, changed_at = now(), changed_by = excluded.changed_by, reason = excluded.reason,"
            + " acknowledged_alone_from = CASE WHEN pgflip.promotion.eligible THEN excluded.acknowledged_alone_from"
            + " ELSE coalesce(pgflip.promotion.acknowledged_alone_from, excluded.acknowledged_alone_from) END"
            + " WHERE NOT pgflip.promotion.promoting OR pgflip.promotion.changed_at < (SELECT claimed_at FROM"
            + " pgflip.promotion WHERE node_name = ?) RETURNING node_name";

    /** $1 standby, $2 primary, $3 reason: it streams again, caught up; any stale claim of its own is void. */
    public static final String MARK_ELIGIBLE = "INSERT INTO pgflip.promotion (node_name, eligible, changed_by, reason)"
            + " VALUES (?, true, ?, ?) ON CONFLICT (node_name) DO UPDATE SET eligible = true, promoting = false,"
            + " acknowledged_alone_from = NULL, changed_at = now(), changed_by = excluded.changed_by,"
            + " reason = excluded.reason";

    /**
     * The promote hook's claim, for psql with {@code -v node=NAME}: prints {@code claimed} when this node may be
     * promoted (no record means it was never marked), nothing when the primary marked it ineligible.
     */
    public static final String CLAIM_PSQL = claim(":'node'", "its promote hook");

    /** The same claim over JDBC, made by {@code pgflip switchover} for its target: $1 and $2 the target. */
    public static final String CLAIM = claim("?", "pgflip switchover");

    private static String claim(String node, String by) {
        return "INSERT INTO pgflip.promotion (node_name, eligible, promoting, changed_by, reason, claimed_at) VALUES ("
                + node + ", true, true, " + node + ", 'promotion claimed by " + by + "', now()) ON CONFLICT (node_name)"
                + " DO UPDATE SET promoting = true, claimed_at = now(), changed_at = now(), changed_by = excluded.changed_by,"
                + " reason = excluded.reason WHERE pgflip.promotion.eligible RETURNING 'claimed'";
    }

    /** $1 the node: a claim not followed by a promotion withdrawn, so the primary it would have replaced need not fence. */
    public static final String WITHDRAW_CLAIM = withdraw("?");

    /** The same for psql with {@code -v node=NAME}: the promote hook's, when repmgr standby promote failed. */
    public static final String WITHDRAW_CLAIM_PSQL = withdraw(":'node'");

    private static String withdraw(String node) {
        // Its time goes with it: a claim not followed by a promotion must not supersede the claims made before it.
        return "UPDATE pgflip.promotion SET promoting = false, claimed_at = NULL, changed_at = now(), reason = 'claim"
                + " withdrawn: not promoted' WHERE node_name = " + node + " AND promoting";
    }

    /**
     * $1 and $2 this node, $3 changed_by, $4 reason, $5 its new timeline: promoted, the claim is done, and the witness keeps on which
     * timeline, so that an old primary restarted later (while this one is down) learns it was replaced. Returns whether
     * the node was eligible before, and from which WAL position the old primary acknowledged commits alone.
     */
    public static final String RECORD_PROMOTION = recordPromotion("?", "?", "?", "?", "?");

    /**
     * The same for psql with {@code -v node=NAME} and {@code :timeline} set: the promote hook's, right after the node
     * left recovery, so the witness knows before the new primary takes its first write (the watch records it too, a
     * look later, by which time a new primary killed at once had left its claim in flight: seen in the drill
     * stale-restart, where the old primary then started isolated instead of outranked).
     */
    public static final String RECORD_PROMOTION_PSQL = recordPromotion(":'node'", ":'node'", ":'node'",
            "'promoted on timeline ' || :'timeline' || ', recorded by its promote hook'", ":timeline");

    private static String recordPromotion(String node, String sameNode, String changedBy, String reason,
            String timeline) {
        return "WITH before AS (SELECT eligible, acknowledged_alone_from"
                + " FROM pgflip.promotion WHERE node_name = " + node + ") INSERT INTO pgflip.promotion (node_name, eligible,"
                + " changed_by, reason, promoted_timeline, claimed_at) VALUES (" + sameNode + ", false, " + changedBy + ", "
                + reason + ", " + timeline + ", now())"
                + " ON CONFLICT (node_name) DO UPDATE SET promoting = false, promoted_timeline = excluded.promoted_timeline,"
                // a claimed promotion keeps its claim's time (an older agent's claim: changed_at, its time too); the
                // same promotion recorded again (by the hook, then the watch) keeps the time it was recorded with; one
                // made by hand (nothing claimed) is placed now
                + " claimed_at = CASE WHEN pgflip.promotion.promoting THEN coalesce(pgflip.promotion.claimed_at,"
                + " pgflip.promotion.changed_at) WHEN pgflip.promotion.promoted_timeline = excluded.promoted_timeline"
                + " THEN coalesce(pgflip.promotion.claimed_at, now()) ELSE now() END, changed_at = now(),"
                + " changed_by = excluded.changed_by, reason = excluded.reason"
                + " RETURNING coalesce((SELECT eligible FROM before), true), (SELECT acknowledged_alone_from FROM before)";
    }

    /**
     * $1 the timeline, $2 changed_by, $3 reason, $4 this node: its own claim, left in flight by a promotion that was not
     * recorded (the node stopped right after it), completed by its watch once it runs as that primary again; returns a
     * row when there was one. Only its own row, and only while it claims: a claim is made only while eligible, so
     * nothing here can have been acknowledged alone before.
     */
    public static final String COMPLETE_OWN_CLAIM = "UPDATE pgflip.promotion SET promoting = false,"
            + " claimed_at = coalesce(claimed_at, changed_at), promoted_timeline = ?, changed_at = now(), changed_by = ?,"
            + " reason = ? WHERE node_name = ? AND promoting"
            + " RETURNING node_name";

    /** The current claims, for the guard's view of the witness. */
    public static final String READ = "SELECT node_name, eligible, promoting, coalesce(promoted_timeline, -1),"
            + " " + micros("changed_at") + ", " + micros("claimed_at") + " FROM pgflip.promotion";

    /** A timestamp column of the witness's clock as microseconds since the epoch, -1 when null. */
    static String micros(String column) {
        return "coalesce((extract(epoch FROM " + column + ") * 1000000)::bigint, -1)";
    }

    /**
     * Every row on {@code witness} by node name; none on a witness nothing was marked on yet (no table). One statement
     * in the common case: the fence asks this every probe period. A table kept by an older agent (a column missing) is
     * brought up to date first, idempotently.
     */
    public static Map<String, ClusterFacts.Claim> read(Connection witness) throws SQLException {
        try {
            return readRows(witness);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return new HashMap<>();
            }
            if (!"42703".equals(e.getSQLState())) {
                throw e;
            }
            try (Statement s = witness.createStatement()) {
                s.execute(SCHEMA);
            }
            return readRows(witness);
        }
    }

    private static Map<String, ClusterFacts.Claim> readRows(Connection witness) throws SQLException {
        Map<String, ClusterFacts.Claim> claims = new HashMap<>();
        try (Statement s = witness.createStatement(); ResultSet rows = s.executeQuery(READ)) {
            while (rows.next()) {
                claims.put(rows.getString(1), new ClusterFacts.Claim(rows.getBoolean(2), rows.getBoolean(3),
                        rows.getLong(4), rows.getLong(5), rows.getLong(6)));
            }
        }
        return claims;
    }
}
