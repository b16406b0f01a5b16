package dev.pgflip.agent.doctor;

import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.Recovery;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The doctor's connection to this node's PostgreSQL (node.database, 1 s timeouts), and from it the cluster: the peers
 * listed in this node's repmgr.nodes, each asked {@code pg_is_in_recovery()} with the same credentials.
 */
final class LocalNode implements AutoCloseable {
    private final NodeConnector connector;
    private final Connection connection;

    private LocalNode(NodeConnector connector, Connection connection) {
        this.connector = connector;
        this.connection = connection;
    }

    static LocalNode connect(NodeConnector connector) throws SQLException {
        return new LocalNode(connector, connector.connectLocal());
    }

    Connection connection() {
        return connection;
    }

    DatabaseConfig database() {
        return connector.local();
    }

    boolean inRecovery() throws SQLException {
        return Recovery.inRecovery(connection);
    }

    /** Whether the agent's user is a superuser: the agent runs ALTER SYSTEM, pg_terminate_backend and CHECKPOINT. */
    boolean superuser() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    String serverVersion() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** repmgr.nodes, each node asked for its role; throws when this node has no repmgr metadata. */
    ClusterView cluster() throws SQLException {
        List<ClusterMember> members = new ArrayList<>();
        boolean localInRecovery = inRecovery();
        int localId;
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(repmgr.get_local_node_id(), -1)")) {
            rs.next();
            localId = rs.getInt(1);
        }
        for (RepmgrNode n : RepmgrNodes.read(connection).all()) {
            Conninfo conninfo = n.conninfo();
            String host = conninfo.host().orElse("");
            int port = conninfo.port().orElse(Conninfo.DEFAULT_PORT);
            boolean local = n.id() == localId;
            String role = !n.holdsData() ? ClusterMember.WITNESS
                    : local ? (localInRecovery ? ClusterMember.STANDBY : ClusterMember.PRIMARY)
                    : ask(host, port, conninfo.dbname().orElse(connector.local().dbname()));
            members.add(new ClusterMember(n.id(), n.name(), n.type().label(), host, port, local, role));
        }
        return new ClusterView(members);
    }

    private String ask(String host, int port, String dbname) {
        if (host.isEmpty()) {
            return ClusterMember.UNREACHABLE;
        }
        try (Connection c = connector.connect(host, port, dbname)) {
            return Recovery.inRecovery(c) ? ClusterMember.STANDBY : ClusterMember.PRIMARY;
        } catch (SQLException e) {
            return ClusterMember.UNREACHABLE;
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the doctor is done with it either way
        }
    }
}
