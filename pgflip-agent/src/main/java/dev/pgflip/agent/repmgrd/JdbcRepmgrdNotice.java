package dev.pgflip.agent.repmgrd;

import dev.pgflip.agent.db.KeptConnection;
import java.sql.PreparedStatement;

/**
 * {@code repmgr.notify_follow_primary(id)} on this node: it sets the id in the repmgr extension's shared memory, which a
 * waiting repmgrd reads every second. It is what repmgrd itself sends when "the original primary reappeared".
 */
public final class JdbcRepmgrdNotice implements RepmgrdNotice {
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
}
