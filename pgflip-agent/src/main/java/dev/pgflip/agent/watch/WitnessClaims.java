package dev.pgflip.agent.watch;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.KeptConnection;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.RepmgrNodes;
import dev.pgflip.agent.node.ClaimedPromotion;
import java.sql.Connection;
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
    private final String self;
    private KeptConnection witness;

    public WitnessClaims(NodeConnector connector, String self) {
        this.connector = connector;
        this.self = self;
    }

    /**
     * One of {@code peers} whose promotion is claimed now (and not superseded by this node's own later one), or was
     * recorded onto a timeline newer than {@code timeline} (or onto the same number after this node's): the rule of
     * {@link ClusterFacts.WitnessView#outranking}, the watch's own; empty when none was, or when the witness cannot say.
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
            return witness.use("cannot read the promotion claims on the witness", c ->
                    new ClusterFacts.WitnessView("witness", PromotionClaims.read(c)).outranking(self, peers, timeline));
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
