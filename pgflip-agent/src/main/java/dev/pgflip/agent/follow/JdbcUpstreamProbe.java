package dev.pgflip.agent.follow;

import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.RepmgrNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The production probe, over pgjdbc with the agent's 1 s timeouts, as {@code node.database}'s user. Each question opens
 * a new session: {@code transaction_read_only} is what a new session gets, so a fence put up by ALTER SYSTEM and a
 * reload shows there at once (and a kept session could outlive the node's promotion or restart).
 */
public final class JdbcUpstreamProbe implements UpstreamProbe {
    static final String QUERY = "SELECT pg_is_in_recovery(), current_setting('transaction_read_only')::boolean";

    private final NodeConnector connector;

    public JdbcUpstreamProbe(NodeConnector connector) {
        this.connector = connector;
    }

    @Override
    public UpstreamAnswer ask(RepmgrNode node) {
        try (Connection c = connector.connect(node.conninfo());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(QUERY)) {
            rs.next();
            return UpstreamAnswer.answered(rs.getBoolean(1), rs.getBoolean(2));
        } catch (SQLException e) {
            // PostgreSQL's messages carry hints on lines of their own; a password is never part of them.
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return UpstreamAnswer.unreachable(message.lines().findFirst().orElse("").strip());
        }
    }
}
