package dev.pgflip.agent.watch;

import dev.pgflip.agent.db.NodeTimeline;
import dev.pgflip.agent.db.Recovery;
import dev.pgflip.agent.watch.ClusterFacts.DataPeer;
import dev.pgflip.agent.watch.ClusterFacts.WitnessView;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * What pgflip asks the other nodes of the cluster, the same way for {@code pgflip watch} (every reconcile, through
 * {@link JdbcClusterFacts}) and for the start guard (before an old primary's PostgreSQL starts): a data node's role and
 * timeline, the witness's promotion claims. A node that cannot be asked answers "unreachable" or nothing; it never
 * throws, because both callers decide on what did answer.
 */
public final class PeerQuestions {
    /** Opens one connection to the node asked; it is closed after the question. */
    @FunctionalInterface
    public interface Opener {
        Connection open() throws SQLException;
    }

    private PeerQuestions() {}

    /**
     * @param standbyTimeline also ask a standby its timeline (the start guard compares it with its own; the watch needs
     *     only a primary's, and saves the query on every reconcile)
     */
    public static DataPeer dataPeer(String name, int nodeId, boolean active, String host, int port, Opener opener,
            boolean standbyTimeline) {
        try (Connection c = opener.open(); Statement s = c.createStatement()) {
            boolean standby = Recovery.inRecovery(c);
            if (standby && !standbyTimeline) {
                return DataPeer.standby(name, nodeId, active);
            }
            long timeline;
            try (ResultSet rs = s.executeQuery(NodeTimeline.QUERY)) {
                rs.next();
                timeline = rs.getLong(1);
            }
            return standby ? DataPeer.standby(name, nodeId, active, timeline)
                    : DataPeer.primary(name, nodeId, active, timeline, host, port);
        } catch (SQLException e) {
            return DataPeer.unreachable(name, nodeId, active, String.valueOf(e.getMessage()));
        }
    }

    /** The witness's view; empty when it does not answer (then it vouches for nobody). */
    public static Optional<WitnessView> witness(String name, Opener opener) {
        try (Connection c = opener.open()) {
            return Optional.of(new WitnessView(name, PromotionClaims.read(c)));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }
}
