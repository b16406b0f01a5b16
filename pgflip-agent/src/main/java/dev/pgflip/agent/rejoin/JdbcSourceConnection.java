package dev.pgflip.agent.rejoin;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.db.JdbcProperties;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.NodeTimeline;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source over pgjdbc, through the floating IP, with this node's credentials. One connection for the look and the
 * CHECKPOINT, so both concern the same node even if the IP moves meanwhile; {@code repmgr node rejoin} then gets that
 * node's own conninfo, not the IP.
 */
final class JdbcSourceConnection implements SourceConnection {
    private static final Logger log = LoggerFactory.getLogger(JdbcSourceConnection.class);
    private static final String ROLE_AND_TIMELINE = "SELECT pg_is_in_recovery(), " + NodeTimeline.OF_PRIMARY_ELSE_ZERO;
    /**
     * The source's own record: by repmgr.get_local_node_id() while its repmgrd has set it (it answers -1 before),
     * else (repmgrd restarting,
     * or not yet started after a reboot: seen on the lab, the rejoin then failed) the active primary's record, which on
     * a primary is its own.
     */
    private static final String REGISTRATION = "SELECT node_name, conninfo, type = 'primary' AND active FROM repmgr.nodes"
            + " WHERE node_id = repmgr.get_local_node_id()"
            + " OR (coalesce(repmgr.get_local_node_id(), -1) < 1 AND type = 'primary' AND active)"
            + " ORDER BY node_id = repmgr.get_local_node_id() DESC NULLS LAST LIMIT 1";

    private final String flip;
    private final Connection connection;

    private JdbcSourceConnection(String flip, Connection connection) {
        this.flip = flip;
        this.connection = connection;
    }

    static JdbcSourceConnection open(String flip, DatabaseConfig local) {
        Properties props = JdbcProperties.of(local, "pgflip-rejoin");
        props.setProperty("connectTimeout", "5");
        // The agent's 1 s login bound is for its loops; a rejoin's first connection, in a JVM just started, loads the
        // whole SCRAM and driver stack and took over a second under load (the drills' intermittent "Connection
        // attempt timed out" right after the node could reach the floating IP).
        props.setProperty("loginTimeout", "10");
        props.setProperty("socketTimeout", "120");
        try {
            return new JdbcSourceConnection(flip, new NodeConnector(local, props).connect(flip, local.port()));
        } catch (SQLException e) {
            throw unreachable(flip, e);
        }
    }

    @Override
    public RejoinSource describe() {
        try (Statement s = connection.createStatement()) {
            boolean inRecovery;
            long timeline;
            try (ResultSet rs = s.executeQuery(ROLE_AND_TIMELINE)) {
                rs.next();
                inRecovery = rs.getBoolean(1);
                timeline = rs.getLong(2);
            }
            try (ResultSet rs = s.executeQuery(REGISTRATION)) {
                if (rs.next()) {
                    return new RejoinSource(flip, rs.getString(1), rs.getString(2), inRecovery, timeline,
                            rs.getBoolean(3));
                }
            }
            if (!inRecovery) {
                throw new PgflipException(ExitCode.PROMOTE_FAILED, "the primary behind " + flip
                        + " is not registered in repmgr.nodes; nothing was changed");
            }
            return new RejoinSource(flip, "unregistered", "", true, 0);
        } catch (SQLException e) {
            throw unreachable(flip, e);
        }
    }

    @Override
    public void checkpoint() {
        try (Statement s = connection.createStatement()) {
            s.execute("CHECKPOINT");
            log.info("checkpoint done on the current primary (via {})", flip);
        } catch (SQLException e) {
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "CHECKPOINT on the current primary through " + flip
                    + " failed: " + e.getMessage() + "; nothing was rewound", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing the connection through {}: {}", flip, e.getMessage());
        }
    }

    private static PgflipException unreachable(String flip, SQLException e) {
        return new PgflipException(ExitCode.PROMOTE_FAILED, "cannot reach the current primary through the floating IP "
                + flip + ": " + e.getMessage() + "; nothing was changed", e);
    }
}
