package dev.pgflip.agent.status;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.NodeTimeline;
import dev.pgflip.agent.db.RepmgrNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Asks one node of repmgr.nodes about itself with the agent's connector (1 s connect, login and socket timeouts), in
 * two queries: the node's own state, then, on a node not in recovery, its walsenders. A witness is asked the same:
 * it is a primary of its own, so its answer says only that it is up. The watch's session name is compared cut to
 * 63 bytes, as PostgreSQL keeps an application_name (NAMEDATALEN - 1). A standby is also asked when its repmgrd last
 * saw its upstream (the repmgr extension's shared memory, in the repmgr database the agent connects to).
 */
final class NodeProbe {
    static final String SELF = "SELECT pg_is_in_recovery(), (" + NodeTimeline.QUERY + "),"
            + " current_setting('default_transaction_read_only')::boolean,"
            + " (SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver WHERE status = 'streaming' LIMIT 1),"
            + " pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
            + " ELSE pg_current_wal_lsn() END, '0/0')::bigint,"
            + " current_setting('synchronous_standby_names'),"
            + " (SELECT count(*) FROM pg_stat_activity WHERE application_name = left(?, 63)),"
            + " (SELECT min(extract(epoch FROM now() - state_change))::bigint FROM pg_stat_activity"
            + " WHERE application_name = left(?, 63)),"
            + " CASE WHEN pg_is_in_recovery() THEN repmgr.get_upstream_last_seen() END";

    static final String WITNESS_REPMGRD = "SELECT repmgr.get_upstream_node_id(), repmgr.get_upstream_last_seen()";

    static final String WALSENDERS = "SELECT application_name, state, sync_state,"
            + " pg_wal_lsn_diff(pg_current_wal_lsn(), flush_lsn)::bigint,"
            + " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint,"
            + " (extract(epoch FROM replay_lag) * 1000)::bigint"
            + " FROM pg_stat_replication ORDER BY application_name";

    private final NodeConnector connector;

    NodeProbe(NodeConnector connector) {
        this.connector = connector;
    }

    NodeReply ask(RepmgrNode node) {
        Conninfo where = node.conninfo();
        if (where.host().isEmpty()) {
            return NodeReply.unreachable(node, "no host in its repmgr conninfo");
        }
        try (Connection c = connector.connect(where)) {
            NodeAnswer answer = answer(c, node.name());
            return NodeReply.answered(node, node.holdsData() ? answer : withWitnessRepmgrd(c, answer));
        } catch (SQLException e) {
            return NodeReply.unreachable(node, firstLine(e.getMessage()));
        }
    }

    private static NodeAnswer answer(Connection c, String name) throws SQLException {
        String watch = WatchPresence.applicationName(name);
        try (PreparedStatement ps = c.prepareStatement(SELF)) {
            ps.setString(1, watch);
            ps.setString(2, watch);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean inRecovery = rs.getBoolean(1);
                int lastSeen = rs.getInt(9);
                OptionalInt repmgrdLastSeen = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(lastSeen);
                return new NodeAnswer(inRecovery, rs.getLong(2), rs.getBoolean(3), Optional.ofNullable(rs.getString(4)),
                        optionalLong(rs, 5), rs.getString(6), rs.getInt(7), optionalLong(rs, 8),
                        inRecovery ? List.of() : walsenders(c), repmgrdLastSeen);
            }
        }
    }

    /**
     * What the witness's repmgrd last saw: repmgr 5.3 keeps the node it monitors as the primary, and when it last
     * answered, in the witness's shared memory, as it does a standby's upstream. Unchanged when the repmgr extension
     * cannot say.
     */
    private static NodeAnswer withWitnessRepmgrd(Connection c, NodeAnswer answer) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(WITNESS_REPMGRD)) {
            rs.next();
            int nodeId = rs.getInt(1);
            return rs.wasNull() ? answer : answer.withRepmgrdUpstream(nodeId, rs.getInt(2));
        } catch (SQLException e) {
            return answer;
        }
    }

    private static List<NodeAnswer.Walsender> walsenders(Connection c) throws SQLException {
        List<NodeAnswer.Walsender> senders = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(WALSENDERS)) {
            while (rs.next()) {
                senders.add(new NodeAnswer.Walsender(rs.getString(1), rs.getString(2), rs.getString(3),
                        optionalLong(rs, 4), optionalLong(rs, 5), optionalLong(rs, 6)));
            }
        }
        return senders;
    }

    private static OptionalLong optionalLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** PostgreSQL's messages carry hints and positions on lines of their own. */
    static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }
}
