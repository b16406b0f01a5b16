package dev.pgflip.agent.switchover;

import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.RepmgrNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Pauses repmgrd on every node for the switchover, as {@code repmgr standby switchover} does
 * ({@code repmgr.repmgrd_pause}): while the old primary is down on purpose no repmgrd may start a failover of its
 * own. Resumed on every node that answers at the end, whatever happened.
 */
final class RepmgrdPause {
    private final NodeConnector connector;
    private final Consumer<String> say;

    RepmgrdPause(NodeConnector connector, Consumer<String> say) {
        this.connector = connector;
        this.say = say;
    }

    /** Pauses each node's repmgrd; throws, after resuming those already paused, when one cannot be paused. */
    List<RepmgrNode> pause(List<RepmgrNode> nodes) throws SQLException {
        List<RepmgrNode> paused = new ArrayList<>();
        for (RepmgrNode node : nodes) {
            try {
                set(node, true);
                paused.add(node);
            } catch (SQLException e) {
                resume(paused);
                throw new SQLException("cannot pause repmgrd on " + node.name() + ": " + e.getMessage(), e);
            }
        }
        return paused;
    }

    /** Resumes each node's repmgrd; one that does not answer is named, not fatal. */
    void resume(List<RepmgrNode> nodes) {
        for (RepmgrNode node : nodes) {
            try {
                set(node, false);
            } catch (SQLException e) {
                say.accept("could not resume repmgrd on " + node.name() + " (" + e.getMessage() + "): run 'repmgr"
                        + " service unpause' there");
            }
        }
    }

    private void set(RepmgrNode node, boolean pause) throws SQLException {
        try (Connection c = connector.connect(node.conninfo()); Statement s = c.createStatement()) {
            s.execute("SELECT repmgr.repmgrd_pause(" + pause + ")");
        }
    }
}
