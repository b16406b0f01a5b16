package dev.pgflip.agent.watch;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.KeptConnection;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.RepmgrNodes;
import dev.pgflip.agent.node.ClaimedPromotion;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Optional;

/**
 * The fence's fast look at the witness: is the promotion of another active data node claimed ({@link PromotionClaims})?
 * Asked every fencing probe period on one kept connection, so a primary learns within a period that a standby it
 * still believes streams (its walsender only notices a silent standby after wal_sender_timeout) is being promoted,
 * and fences itself before that standby is writable (on the lab, without it, 3.6 s after).
 */
public final class WitnessClaims implements AutoCloseable {
    private final NodeConnector connector;
    private KeptConnection witness;

    public WitnessClaims(NodeConnector connector) {
        this.connector = connector;
    }

    /**
     * One of {@code peers} whose promotion is claimed now, or was recorded onto a timeline newer than {@code timeline};
     * empty when none was, or when the witness cannot say.
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
                // A recorded promotion first: it happened, whereas a claim alone may still be withdrawn.
                try (PreparedStatement ps = c.prepareStatement("SELECT node_name, coalesce(promoted_timeline, -1) > ?"
                        + " AS recorded FROM pgflip.promotion WHERE (promoting OR coalesce(promoted_timeline, -1) > ?)"
                        + " AND node_name = ANY (?) ORDER BY recorded DESC, node_name LIMIT 1")) {
                    Array names = c.createArrayOf("text", peers.toArray());
                    ps.setLong(1, timeline);
                    ps.setLong(2, timeline);
                    ps.setArray(3, names);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(new ClaimedPromotion(rs.getString(1), rs.getBoolean(2)))
                                : Optional.<ClaimedPromotion>empty();
                    }
                } catch (SQLException e) {
                    if ("42P01".equals(e.getSQLState()) || "42703".equals(e.getSQLState())) {
                        // no table (or column) yet: nobody claimed, was marked or recorded
                        return Optional.<ClaimedPromotion>empty();
                    }
                    throw e;
                }
            });
        } catch (IllegalStateException e) {
            close(); // the witness may have moved: find it again next time
            return Optional.empty();
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
