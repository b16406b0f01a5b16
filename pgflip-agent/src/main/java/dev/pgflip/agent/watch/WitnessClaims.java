package dev.pgflip.agent.watch;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.KeptConnection;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.RepmgrNodes;
import dev.pgflip.agent.node.ClaimedPromotion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.Optional;

/**
 * The fence's fast look at the witness: is the promotion of another active data node claimed ({@link PromotionClaims})?
 * Asked every fencing probe period on one kept connection, so a primary learns within a period that a standby it
 * still believes streams (its walsender only notices a silent standby after wal_sender_timeout) is being promoted,
 * and fences itself before that standby is writable (on the lab, without it, 3.6 s after).
 */
public final class WitnessClaims implements AutoCloseable {
    /**
     * $1 this node, $2 its timeline, $3 the peers: the rule of {@link ClusterFacts.WitnessView} in one statement (a
     * claim in flight that this node's later claim or promotion came after does not count (times on the witness's clock); a promotion recorded onto a
     * newer timeline, or onto the same number after this node's, does).
     */
    static final String OUTRANKING = "WITH me AS (SELECT (SELECT claimed_at FROM pgflip.promotion WHERE node_name = ?)"
            + " AS claimed_at, ?::bigint AS timeline), peer AS (SELECT p.node_name, p.promoting AND (me.claimed_at IS NULL"
            + " OR me.claimed_at <= p.changed_at) AS in_flight, coalesce(coalesce(p.promoted_timeline, -1) > me.timeline"
            + " OR (NOT p.promoting AND p.promoted_timeline = me.timeline AND p.claimed_at > me.claimed_at), false)"
            + " AS recorded FROM pgflip.promotion p, me WHERE p.node_name = ANY (?))"
            + " SELECT node_name, recorded FROM peer WHERE in_flight OR recorded ORDER BY recorded DESC, node_name LIMIT 1";

    private final NodeConnector connector;
    private final String self;
    private KeptConnection witness;

    public WitnessClaims(NodeConnector connector, String self) {
        this.connector = connector;
        this.self = self;
    }

    /**
     * One of {@code peers} whose promotion is claimed now (and not superseded by this node's own later one), or was
     * recorded onto a timeline newer than {@code timeline}; empty when none was, or when the witness cannot say.
     */
    public synchronized Optional<ClaimedPromotion> claimedAmong(Collection<String> peers, long timeline) {
        if (peers.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (witness == null) {
                witness = find().orElse(null);
                if (witness == null) {
                    return Optional.empty();
                }
            }
            return witness.use("cannot read the promotion claims on the witness", c -> {
                try {
                    return outranking(c, peers, timeline);
                } catch (SQLException e) {
                    if ("42P01".equals(e.getSQLState())) {
                        return Optional.<ClaimedPromotion>empty(); // no table yet: nobody claimed, was marked or recorded
                    }
                    if (!"42703".equals(e.getSQLState())) {
                        throw e;
                    }
                    // A table from an older agent, without the claims' order: brought up to date (idempotent), or its
                    // claims in flight would go unseen here.
                    try (Statement s = c.createStatement()) {
                        s.execute(PromotionClaims.SCHEMA);
                    }
                    return outranking(c, peers, timeline);
                }
            });
        } catch (IllegalStateException e) {
            close(); // the witness may have moved: find it again next time
            return Optional.empty();
        }
    }

    private Optional<ClaimedPromotion> outranking(Connection c, Collection<String> peers, long timeline)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(OUTRANKING)) {
            ps.setString(1, self);
            ps.setLong(2, timeline);
            ps.setArray(3, c.createArrayOf("text", peers.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ClaimedPromotion(rs.getString(1), rs.getBoolean(2)))
                        : Optional.empty();
            }
        }
    }

    private Optional<KeptConnection> find() {
        try (Connection c = connector.connectLocal()) {
            return RepmgrNodes.read(c).activeWitness().map(w -> connector.keep(w.host().get(), w.port().orElse(Conninfo.DEFAULT_PORT)));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (witness != null) {
            witness.close();
            witness = null;
        }
    }
}
