package dev.pgflip.agent.status;

import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster as its nodes answer now: repmgr.nodes from this node's PostgreSQL (else through the floating IP, which
 * leads to the primary), then every node asked at once on a small pool of named threads. The look has
 * {@link #NODE_BUDGET} in all; a node that has not answered by then is reported unreachable, so a silent host never
 * holds up the screen.
 */
public final class ClusterProbe {
    /** Connect, login and each query are bounded at 1 s by the connector; this bounds the whole look. */
    static final Duration NODE_BUDGET = Duration.ofSeconds(5);
    private static final int MAX_THREADS = 8;

    private final NodeConnector connector;
    private final String floatingIp;

    public ClusterProbe(NodeConnector connector, String floatingIp) {
        this.connector = connector;
        this.floatingIp = floatingIp;
    }

    /** The nodes and their answers; {@link Look#nodesFrom()} says whose repmgr.nodes was read. */
    public Look look() {
        Listing listing = listing();
        if (listing.nodes().isEmpty()) {
            return new Look(listing.source(), listing.error(), List.of());
        }
        return new Look(listing.source(), listing.error(), askAll(listing.nodes()));
    }

    /**
     * @param nodesFrom "local" or "floating IP 198.18.0.100"; empty when neither answered
     * @param listingError why this node's own repmgr.nodes could not be read (empty when it was)
     */
    public record Look(String nodesFrom, String listingError, List<NodeReply> replies) {
        public Look {
            replies = List.copyOf(replies);
        }
    }

    private record Listing(String source, String error, List<RepmgrNode> nodes) {}

    private Listing listing() {
        String localError;
        try (Connection c = connector.connectLocal()) {
            return new Listing("local", "", RepmgrNodes.read(c).all());
        } catch (SQLException e) {
            localError = "repmgr.nodes of this node (" + connector.local().host() + ":" + connector.local().port()
                    + ") cannot be read: " + NodeProbe.firstLine(e.getMessage());
        }
        try (Connection c = connector.connect(floatingIp, connector.local().port())) {
            return new Listing("floating IP " + floatingIp, localError, RepmgrNodes.read(c).all());
        } catch (SQLException e) {
            return new Listing("", localError + "; nor the floating IP " + floatingIp + ": "
                    + NodeProbe.firstLine(e.getMessage()), List.of());
        }
    }

    private List<NodeReply> askAll(List<RepmgrNode> nodes) {
        NodeProbe probe = new NodeProbe(connector);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(nodes.size(), MAX_THREADS), r -> {
            Thread t = new Thread(r, "pgflip-status-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<NodeReply>> asked = nodes.stream().map(node -> pool.submit(() -> probe.ask(node))).toList();
            long until = System.nanoTime() + NODE_BUDGET.toNanos();
            List<NodeReply> replies = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                replies.add(await(asked.get(i), nodes.get(i), until));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    private static NodeReply await(Future<NodeReply> reply, RepmgrNode node, long untilNanos) {
        try {
            return reply.get(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reply.cancel(true);
            return NodeReply.unreachable(node, "no answer within " + NODE_BUDGET.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NodeReply.unreachable(node, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return NodeReply.unreachable(node, String.valueOf(e.getCause().getMessage()));
        }
    }
}
