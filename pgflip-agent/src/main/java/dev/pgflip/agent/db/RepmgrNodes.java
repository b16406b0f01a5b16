package dev.pgflip.agent.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A node's copy of {@code repmgr.nodes}, read with one query. Nodes are looked up by name, never by
 * {@code repmgr.get_local_node_id()}: that value is repmgrd's, unset while repmgrd restarts (the lab saw a node in its
 * own peer list then, and it fenced itself over its own promotion claim).
 */
public record RepmgrNodes(List<RepmgrNode> all) {
    static final String QUERY = "SELECT node_id, node_name, type, active, conninfo, upstream_node_id FROM repmgr.nodes"
            + " ORDER BY node_id";

    public RepmgrNodes {
        all = List.copyOf(all);
    }

    public static RepmgrNodes read(Connection c) throws SQLException {
        List<RepmgrNode> nodes = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(QUERY)) {
            while (rs.next()) {
                int upstream = rs.getInt(6);
                nodes.add(new RepmgrNode(rs.getInt(1), rs.getString(2), RepmgrNode.Type.of(rs.getString(3)),
                        rs.getBoolean(4), Conninfo.parse(rs.getString(5)),
                        rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(upstream)));
            }
        }
        return new RepmgrNodes(nodes);
    }

    public Optional<RepmgrNode> named(String name) {
        return all.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** The node repmgr numbers {@code id} (its {@code node_id}, what repmgrd passes as {@code %n}). */
    public Optional<RepmgrNode> withId(int id) {
        return all.stream().filter(n -> n.id() == id).findFirst();
    }

    /** Every node but the one named {@code self}. */
    public List<RepmgrNode> otherThan(String self) {
        return all.stream().filter(n -> !n.name().equals(self)).toList();
    }

    /** The active witness with an address; empty when none is registered. */
    public Optional<Conninfo> activeWitness() {
        return all.stream().filter(n -> n.type() == RepmgrNode.Type.WITNESS && n.active())
                .map(RepmgrNode::conninfo).filter(c -> c.host().isPresent()).findFirst();
    }
}
