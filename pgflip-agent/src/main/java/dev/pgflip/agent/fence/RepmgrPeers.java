package dev.pgflip.agent.fence;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.KeptConnection;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other nodes of the cluster, from this node's own {@code repmgr.nodes} (so nothing but repmgr lists the
 * cluster), read again every {@link #REFRESH} or on demand; the last list stands while the local node cannot be asked.
 * Each new list is also written to the {@link PeerListFile}, for {@code pgflip start-guard}, which runs while the local
 * node is down.
 */
public final class RepmgrPeers implements PeerDirectory, AutoCloseable {
    static final Duration REFRESH = Duration.ofSeconds(10);
    private final KeptConnection connection;
    private static final Logger log = LoggerFactory.getLogger(RepmgrPeers.class);
    private final String self;
    private final Optional<PeerListFile> file;
    private PeerListFile.Recorded written;
    private List<Peer> last = List.of();
    private long readAtNanos;

    public RepmgrPeers(NodeConnector connector, String self, Optional<PeerListFile> file) {
        this.self = self;
        this.file = file;
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
            PeerListFile.Recorded read = connection.use("cannot read repmgr.nodes", c -> {
                List<Peer> peers = new ArrayList<>();
                RepmgrNodes nodes = RepmgrNodes.read(c);
                Optional<RepmgrNode> me = nodes.named(self);
                for (RepmgrNode n : nodes.otherThan(self)) {
                    boolean followsMe = me.isPresent() && n.streamsFrom(me.get());
                    n.conninfo().host().ifPresent(host -> peers.add(new Peer(n.name(), n.type().label(), host,
                            n.conninfo().port().orElse(Conninfo.DEFAULT_PORT), n.active(), followsMe)));
                }
                return new PeerListFile.Recorded(me.map(m -> m.type().label()).orElse("unknown"), peers);
            });
            last = read.peers();
            readAtNanos = System.nanoTime();
            keep(read);
        } catch (IllegalStateException e) {
            // the local node cannot be asked right now: the last list stands
        }
        return last;
    }

    private void keep(PeerListFile.Recorded read) {
        if (file.isEmpty() || read.equals(written)) {
            return;
        }
        try {
            file.get().write(read);
            written = read;
        } catch (UncheckedIOException e) {
            log.warn("{}: pgflip start-guard will ask the peers of the last list written", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        connection.close();
    }
}
