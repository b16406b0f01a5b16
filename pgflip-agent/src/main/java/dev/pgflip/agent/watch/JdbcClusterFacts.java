package dev.pgflip.agent.watch;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.NodeTimeline;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import dev.pgflip.agent.node.PrimaryGuard;
import dev.pgflip.agent.node.Standing;
import dev.pgflip.agent.watch.ClusterFacts.DataPeer;
import dev.pgflip.agent.watch.ClusterFacts.WitnessView;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The guard over pgjdbc: the peers come from this node's own {@code repmgr.nodes} (so nothing but repmgr.conf lists
 * the cluster), each asked with the agent's 1 s timeouts whether it is a primary and on which timeline, the witness
 * for its repmgr view; then {@link StandingDecision#decide} judges. A primary's timeline is the first field of its current
 * WAL file name, which, unlike pg_control_checkpoint(), is right from the moment of promotion; a node in recovery
 * (a fenced one, restarted so) reports its last checkpoint's.
 */
public final class JdbcClusterFacts implements PrimaryGuard {
    private final NodeConnector connector;
    private final String self;

    public JdbcClusterFacts(NodeConnector connector, String self) {
        this.self = self;
        this.connector = connector;
    }

    @Override
    public Standing standing() {
        try {
            return StandingDecision.decide(gather());
        } catch (SQLException e) {
            // Our own node cannot say who we are: not the moment to take the IP nor to degrade.
            return new Standing.Unproven("the local node cannot be asked: " + e.getMessage());
        }
    }

    ClusterFacts gather() throws SQLException {
        long timeline;
        Set<String> streaming = new HashSet<>();
        List<RepmgrNode> peers;
        try (Connection c = connector.connectLocal(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(NodeTimeline.QUERY)) {
                rs.next();
                timeline = rs.getLong(1);
            }
            RepmgrNodes nodes = RepmgrNodes.read(c);
            if (nodes.named(self).isEmpty()) {
                throw new SQLException("node " + self + " is not registered in its own repmgr.nodes");
            }
            peers = nodes.otherThan(self);
            try (ResultSet rs = s.executeQuery("SELECT application_name FROM pg_stat_replication WHERE state = 'streaming'")) {
                while (rs.next()) {
                    streaming.add(rs.getString(1));
                }
            }
        }
        List<DataPeer> data = new ArrayList<>();
        Optional<WitnessView> witness = Optional.empty();
        for (RepmgrNode p : peers) {
            if (p.holdsData()) {
                data.add(askDataPeer(p.name(), p.id(), p.active(), p.conninfo()));
            } else {
                witness = askWitness(p.name(), p.conninfo());
            }
        }
        return new ClusterFacts(self, timeline, data, witness, streaming);
    }

    private DataPeer askDataPeer(String name, int nodeId, boolean active, Conninfo parsed) {
        String host = parsed.host().orElse("");
        int port = parsed.port().orElse(Conninfo.DEFAULT_PORT);
        if (host.isEmpty()) {
            return DataPeer.unreachable(name, nodeId, active, "no host in its conninfo");
        }
        return PeerQuestions.dataPeer(name, nodeId, active, host, port, () -> connector.connect(host, port), false);
    }

    /** The witness's view; empty when it does not answer (then it vouches for nobody). */
    private Optional<WitnessView> askWitness(String name, Conninfo parsed) {
        if (parsed.host().isEmpty()) {
            return Optional.empty();
        }
        return PeerQuestions.witness(name, () -> connector.connect(parsed));
    }
}
