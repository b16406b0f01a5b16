package dev.pgflip.agent.fence;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.KeptConnection;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The other nodes of the cluster, from this node's own {@code repmgr.nodes} (so nothing but repmgr lists the
 * cluster), read again every {@link #REFRESH} or on demand; the last list stands while the local node cannot be asked.
 */
public final class RepmgrPeers implements PeerDirectory, AutoCloseable {
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
        return readNow();
    }

    @Override
    public synchronized List<Peer> readNow() {
        try {
            last = connection.use("cannot read repmgr.nodes", c -> {
                List<Peer> peers = new ArrayList<>();
                RepmgrNodes nodes = RepmgrNodes.read(c);
                Optional<RepmgrNode> me = nodes.named(self);
                for (RepmgrNode n : nodes.otherThan(self)) {
                    boolean followsMe = me.isPresent() && n.streamsFrom(me.get());
                    n.conninfo().host().ifPresent(host -> peers.add(new Peer(n.name(), n.type().label(), host,
                            n.conninfo().port().orElse(Conninfo.DEFAULT_PORT), n.active(), followsMe)));
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
