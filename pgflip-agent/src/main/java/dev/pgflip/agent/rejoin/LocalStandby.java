package dev.pgflip.agent.rejoin;

import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.db.NodeConnector;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * A running standby as it answers about its replication: whether its walreceiver streams, and its timeline (the one it
 * receives on, else its last restartpoint's).
 */
public record LocalStandby(boolean streaming, long timeline) {
    private static final String QUERY = "SELECT coalesce((SELECT status = 'streaming' FROM pg_stat_wal_receiver), false),"
            + " coalesce((SELECT received_tli FROM pg_stat_wal_receiver WHERE received_tli > 0),"
            + " (SELECT timeline_id FROM pg_control_checkpoint()))";

    /** Empty when the local node cannot be asked. */
    static Optional<LocalStandby> read(DatabaseConfig local) {
        try (Connection c = NodeConnector.of(local, "pgflip-rejoin").connectLocal(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(QUERY)) {
            rs.next();
            return Optional.of(new LocalStandby(rs.getBoolean(1), rs.getLong(2)));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }
}
