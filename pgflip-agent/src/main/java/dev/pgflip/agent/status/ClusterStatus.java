package dev.pgflip.agent.status;

import java.util.List;
import java.util.Optional;

/**
 * Everything {@code pgflip status} saw, judged per node but not yet as a whole ({@link StatusRules} does that).
 *
 * @param self this node's name (node.name)
 * @param nodesFrom whose repmgr.nodes was read: {@code local} or {@code floating IP …}; empty when none
 * @param listingError why this node's own repmgr.nodes could not be read
 * @param synchronousStandbyNames the primary's setting in force (empty without a single primary)
 * @param configuredSynchronousStandbyNames {@code replication.synchronous_standby_names} of this node's config
 */
public record ClusterStatus(String self, String nodesFrom, String listingError, List<NodeRow> nodes,
                            Optional<String> synchronousStandbyNames, Optional<String> configuredSynchronousStandbyNames,
                            FlipView flip, EventTail.Tail events) {
    public ClusterStatus {
        nodes = List.copyOf(nodes);
    }

    public List<NodeRow> dataNodes() {
        return nodes.stream().filter(NodeRow::holdsData).toList();
    }

    /** Data nodes that answered out of recovery: each accepts writes. */
    public List<NodeRow> writable() {
        return dataNodes().stream().filter(n -> n.role() == NodeRow.Role.PRIMARY).toList();
    }

    /** The one writable data node; empty when there is none or more than one. */
    public Optional<NodeRow> primary() {
        List<NodeRow> writable = writable();
        return writable.size() == 1 ? Optional.of(writable.get(0)) : Optional.empty();
    }

    public Optional<NodeRow> local() {
        return nodes.stream().filter(NodeRow::local).findFirst();
    }
}
