package dev.pgflip.agent.repmgrd;

import dev.pgflip.agent.db.KeptConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.OptionalInt;

/**
 * {@link RepmgrdNotice} through the repmgr extension's functions on this node. {@code notify_follow_primary(id)} is
 * what repmgrd itself sends when "the original primary reappeared".
 */
public final class JdbcRepmgrdNotice implements RepmgrdNotice {
    /** repmgr's {@code UNKNOWN_NODE_ID}: what {@code get_new_primary()} returns when no notice is pending. */
    private static final int NO_NODE = -1;

    private final KeptConnection local;

    public JdbcRepmgrdNotice(KeptConnection local) {
        this.local = local;
    }

    @Override
    public void followPrimary(int nodeId) {
        local.use("cannot notify this node's repmgrd to follow node " + nodeId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT repmgr.notify_follow_primary(?)")) {
                ps.setInt(1, nodeId);
                ps.execute();
            }
            return null;
        });
    }

    @Override
    public OptionalInt pending() {
        return local.use("cannot read the notice pending for this node's repmgrd", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT repmgr.get_new_primary()")) {
                rs.next();
                int id = rs.getInt(1);
                return rs.wasNull() || id == NO_NODE ? OptionalInt.empty() : OptionalInt.of(id);
            }
        });
    }

    @Override
    public void withdraw() {
        local.use("cannot withdraw the notice pending for this node's repmgrd", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT repmgr.reset_voting_status()");
            }
            return null;
        });
    }
}
