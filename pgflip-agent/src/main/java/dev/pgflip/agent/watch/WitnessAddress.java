package dev.pgflip.agent.watch;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.RepmgrNodes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** Where the witness is, as this node's repmgr.nodes registers it: the store of {@link PromotionClaims}. */
final class WitnessAddress {
    private WitnessAddress() {}

    /** Empty when no active witness with a host is registered. */
    static Optional<Conninfo> find(Connection local) throws SQLException {
        return RepmgrNodes.read(local).activeWitness();
    }
}
