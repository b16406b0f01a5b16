package dev.pgflip.agent.status;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.node.FenceState;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Turns the nodes' answers into the table's rows, pure: roles from pg_is_in_recovery(), each standby's replication
 * from the primary's walsender named after it (repmgr sets application_name to the node_name), upstreams by address,
 * the fence from the read-only setting and, for this node only, its record on disk. The witness's upstream is the node
 * its repmgrd monitors as the primary.
 */
public final class ClusterAssembly {
    private ClusterAssembly() {}

    /**
     * @param localFence this node's fence record; empty when there is none or no fencing section ({@code recordKnown}
     *     says which)
     * @param recordKnown whether this node's record could be read (a fencing section and a readable file)
     */
    public static ClusterStatus assemble(String self, ClusterProbe.Look look, Optional<FenceState> localFence,
            boolean recordKnown, Optional<String> configuredSync, FlipView flip, EventTail.Tail events) {
        List<NodeReply> replies = look.replies();
        Optional<NodeReply> primary = singlePrimary(replies);
        List<NodeRow> rows = replies.stream().map(r -> row(r, self, replies, primary, localFence, recordKnown)).toList();
        return new ClusterStatus(self, look.nodesFrom(), look.listingError(), rows,
                primary.flatMap(NodeReply::answer).map(NodeAnswer::synchronousStandbyNames), configuredSync, flip, events);
    }

    private static Optional<NodeReply> singlePrimary(List<NodeReply> replies) {
        List<NodeReply> primaries = replies.stream()
                .filter(r -> r.node().holdsData() && r.answer().map(a -> !a.inRecovery()).orElse(false)).toList();
        return primaries.size() == 1 ? Optional.of(primaries.get(0)) : Optional.empty();
    }

    private static NodeRow row(NodeReply reply, String self, List<NodeReply> all, Optional<NodeReply> primary,
            Optional<FenceState> localFence, boolean recordKnown) {
        RepmgrNode n = reply.node();
        boolean local = n.name().equals(self);
        String host = n.conninfo().host().orElse("");
        int port = n.conninfo().port().orElse(Conninfo.DEFAULT_PORT);
        if (reply.answer().isEmpty()) {
            return new NodeRow(n.id(), n.name(), n.type(), host, port, n.active(), local, NodeRow.Role.UNREACHABLE,
                    OptionalLong.empty(), Optional.empty(), Optional.empty(), fence(Optional.empty(), local, localFence,
                    recordKnown, OptionalLong.empty()), n.holdsData() ? WatchPresence.State.UNKNOWN
                    : WatchPresence.State.NOT_EXPECTED, Optional.of(reply.error()), OptionalInt.empty());
        }
        NodeAnswer a = reply.answer().get();
        if (!n.holdsData()) {
            return new NodeRow(n.id(), n.name(), n.type(), host, port, n.active(), local, NodeRow.Role.WITNESS,
                    OptionalLong.empty(), nodeWithId(a.repmgrdUpstreamNodeId(), all), Optional.empty(),
                    NodeRow.Fence.UNSEEN, WatchPresence.State.NOT_EXPECTED, Optional.empty(),
                    a.repmgrdUpstreamLastSeen());
        }
        OptionalLong timeline = OptionalLong.of(a.timeline());
        return new NodeRow(n.id(), n.name(), n.type(), host, port, n.active(), local,
                a.inRecovery() ? NodeRow.Role.STANDBY : NodeRow.Role.PRIMARY, timeline,
                a.receivingFrom().map(sender -> nodeAt(sender, all)),
                a.inRecovery() ? primary.map(p -> replication(n.name(), a, p.answer().get())) : Optional.empty(),
                fence(Optional.of(a.readOnly()), local, localFence, recordKnown, timeline),
                WatchPresence.judge(a.watchSessions(), a.watchIdleSeconds()), Optional.empty(),
                a.repmgrdUpstreamLastSeen());
    }

    /** The name of the node with {@code id}, for the witness's repmgrd's upstream; empty before it saw any. */
    private static Optional<String> nodeWithId(OptionalInt id, List<NodeReply> all) {
        if (id.isEmpty() || id.getAsInt() <= 0) {
            return Optional.empty();
        }
        return Optional.of(all.stream().filter(r -> r.node().id() == id.getAsInt()).map(r -> r.node().name())
                .findFirst().orElse("node " + id.getAsInt()));
    }

    /** The node's name when {@code sender} ({@code host:port}, or a host) is where a node of the cluster listens. */
    static String nodeAt(String sender, List<NodeReply> all) {
        return all.stream().filter(r -> r.node().conninfo().host().map(h -> sender.equals(h + ":"
                        + r.node().conninfo().port().orElse(Conninfo.DEFAULT_PORT)) || sender.equals(h)).orElse(false))
                .map(r -> r.node().name()).findFirst().orElse(sender);
    }

    private static NodeRow.Replication replication(String standby, NodeAnswer self, NodeAnswer primary) {
        Optional<NodeAnswer.Walsender> sender = primary.walsenders().stream()
                .filter(w -> w.applicationName() != null
                        && w.applicationName().toLowerCase(Locale.ROOT).equals(standby.toLowerCase(Locale.ROOT)))
                .findFirst();
        if (sender.isPresent()) {
            NodeAnswer.Walsender w = sender.get();
            return new NodeRow.Replication(w.state(), Optional.ofNullable(w.syncState()), w.flushLagBytes(),
                    w.replayLagBytes(), w.replayLagMillis());
        }
        OptionalLong behind = primary.walBytes().isPresent() && self.walBytes().isPresent()
                ? OptionalLong.of(Math.max(0, primary.walBytes().getAsLong() - self.walBytes().getAsLong()))
                : OptionalLong.empty();
        return new NodeRow.Replication(NodeRow.Replication.NONE, Optional.empty(), OptionalLong.empty(), behind,
                OptionalLong.empty());
    }

    /** A record written on an older timeline than the node's no longer speaks of it (the watch discards it too). */
    private static NodeRow.Fence fence(Optional<Boolean> readOnly, boolean local, Optional<FenceState> localFence,
            boolean recordKnown, OptionalLong timeline) {
        if (!local) {
            return new NodeRow.Fence(readOnly, Optional.empty(), false);
        }
        Optional<String> record = localFence.filter(f -> timeline.isEmpty() || !f.staleFor(timeline.getAsLong()))
                .map(FenceState::reason);
        return new NodeRow.Fence(readOnly, record, recordKnown);
    }
}
