package dev.pgflip.agent.watch;

import dev.pgflip.agent.db.Conninfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/** Where the witness is, as this node's repmgr.nodes registers it: the store of {@link PromotionClaims}. */
final class WitnessAddress {
    private WitnessAddress() {}

    /** Empty when no active witness with a host is registered. */
    static Optional<Conninfo> find(Connection local) throws SQLException {
        try (Statement s = local.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT conninfo FROM repmgr.nodes WHERE type = 'witness' AND active LIMIT 1")) {
            return rs.next() ? Optional.of(Conninfo.parse(rs.getString(1))).filter(ci -> ci.host().isPresent())
                    : Optional.empty();
        }
    }
}
