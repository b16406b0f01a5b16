package dev.pgflip.agent.fence;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.KeptConnection;
import dev.pgflip.agent.db.NodeConnector;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The other nodes of the cluster, from this node's own {@code repmgr.nodes} (so nothing but repmgr lists the
 * cluster), read again every {@link #REFRESH}; the last list stands while the local node cannot be asked.
 */
public final class RepmgrPeers implements Supplier<List<Peer>>, AutoCloseable {
    static final Duration REFRESH = Duration.ofSeconds(10);
    private final KeptConnection connection;
    private final String self;
    private List<Peer> last = List.of();
    private long readAtNanos;

    public RepmgrPeers(NodeConnector connector, String self) {
        this.self = self;
        this.connection = connector.keepLocal();
    }

    @Override
    public synchronized List<Peer> get() {
        if (!last.isEmpty() && System.nanoTime() - readAtNanos < REFRESH.toNanos()) {
            return last;
        }
        try {
            last = connection.use("cannot read repmgr.nodes", c -> {
                List<Peer> peers = new ArrayList<>();
                // By name, not repmgr.get_local_node_id(): that one is repmgrd's, unset while repmgrd restarts, and
                // the lab saw this node in its own peer list then (it fenced itself over its own promotion claim).
                try (PreparedStatement ps = c.prepareStatement("SELECT node_name, type, conninfo, active,"
                        + " coalesce(upstream_node_id = (SELECT node_id FROM repmgr.nodes WHERE node_name = ?), false)"
                        + " FROM repmgr.nodes WHERE node_name <> ?")) {
                    ps.setString(1, self);
                    ps.setString(2, self);
                    ResultSet rs = ps.executeQuery();
                    while (rs.next()) {
                        Conninfo conninfo = Conninfo.parse(rs.getString(3));
                        String name = rs.getString(1);
                        String type = rs.getString(2);
                        boolean active = rs.getBoolean(4);
                        boolean followsMe = rs.getBoolean(5);
                        conninfo.host().ifPresent(host -> peers.add(new Peer(name, type, host,
                                conninfo.port().orElse(Conninfo.DEFAULT_PORT), active, followsMe)));
                    }
                }
                return List.copyOf(peers);
            });
            readAtNanos = System.nanoTime();
        } catch (IllegalStateException e) {
            // the local node cannot be asked right now: the last list stands
        }
        return last;
    }

    @Override
    public synchronized void close() {
        connection.close();
    }
}
