package dev.pgflip.agent.status;

import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.node.FenceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Plain value snapshots of a three-node cluster (n1 primary, n2 standby, n3 witness, seen from n2) for the assembly,
 * rules and rendering tests; each test changes one thing with the {@code with…} methods.
 */
final class Snapshots {
    static final String FLIP = "198.18.0.100";
    static final String SYNC = "ANY 1 (n1, n2)";

    private final List<NodeReply> replies = new ArrayList<>();
    private Optional<FenceState> localFence = Optional.empty();
    private boolean recordKnown = true;
    private Optional<String> configuredSync = Optional.of(SYNC);
    private FlipView flip = new FlipView(FLIP, "digitalocean",
            FlipView.Holder.droplet(101, Optional.of("n1"), Optional.of("n1"), false),
            Optional.of(FlipView.Metadata.answered(false, Optional.empty())), OptionalLong.of(102));
    private EventTail.Tail events = new EventTail.Tail(List.of(new FailoverEvent("2026-12-05T01:02:03.456Z", "n2",
            "pgflip_watch_role_changed", true, "")), "");
    private String self = "n2";

    static RepmgrNode node(int id, String name, RepmgrNode.Type type, boolean active, OptionalInt upstream) {
        return new RepmgrNode(id, name, type, active, Conninfo.parse("host=198.18.0.1" + id + " port=5432 user=repmgr"
                + " dbname=repmgr"), upstream);
    }

    static NodeAnswer primary(long timeline, NodeAnswer.Walsender... senders) {
        return new NodeAnswer(false, timeline, false, Optional.empty(), OptionalLong.of(50_000), SYNC, 1,
                OptionalLong.of(0), List.of(senders));
    }

    static NodeAnswer standby(long timeline, String upstream) {
        return new NodeAnswer(true, timeline, false, Optional.of(upstream), OptionalLong.of(40_000), "", 1,
                OptionalLong.of(0), List.of());
    }

    /** The witness whose repmgrd saw n1 (node 1) a second ago. */
    static NodeAnswer witness() {
        return witness(1, 1);
    }

    static NodeAnswer witness(int repmgrdUpstreamNodeId, int lastSeenSeconds) {
        return new NodeAnswer(false, 1, false, Optional.empty(), OptionalLong.of(1), "", 0, OptionalLong.empty(),
                List.of()).withRepmgrdUpstream(repmgrdUpstreamNodeId, lastSeenSeconds);
    }

    static NodeAnswer.Walsender streaming(String name, String syncState) {
        return new NodeAnswer.Walsender(name, "streaming", syncState, OptionalLong.of(0), OptionalLong.of(128),
                OptionalLong.of(3));
    }

    /** n1 primary streaming to n2 (quorum), n3 witness, the floating IP on n1, nothing wrong. */
    static Snapshots healthy() {
        Snapshots s = new Snapshots();
        s.replies.add(NodeReply.answered(node(1, "n1", RepmgrNode.Type.PRIMARY, true, OptionalInt.empty()),
                primary(1, streaming("n2", "quorum"))));
        s.replies.add(NodeReply.answered(node(2, "n2", RepmgrNode.Type.STANDBY, true, OptionalInt.of(1)),
                standby(1, "198.18.0.11:5432")));
        s.replies.add(NodeReply.answered(node(3, "n3", RepmgrNode.Type.WITNESS, true, OptionalInt.of(1)), witness()));
        return s;
    }

    Snapshots with(int index, NodeReply reply) {
        replies.set(index, reply);
        return this;
    }

    /** Replaces node {@code index}'s answer, keeping its repmgr row. */
    Snapshots answer(int index, NodeAnswer answer) {
        return with(index, NodeReply.answered(replies.get(index).node(), answer));
    }

    Snapshots unreachable(int index, String why) {
        return with(index, NodeReply.unreachable(replies.get(index).node(), why));
    }

    Snapshots node(int index, RepmgrNode node) {
        NodeReply r = replies.get(index);
        return with(index, new NodeReply(node, r.answer(), r.error()));
    }

    Snapshots localFence(FenceState state) {
        localFence = Optional.of(state);
        return this;
    }

    Snapshots noFencingSection() {
        recordKnown = false;
        return this;
    }

    Snapshots configuredSync(Optional<String> names) {
        configuredSync = names;
        return this;
    }

    Snapshots flip(FlipView view) {
        flip = view;
        return this;
    }

    Snapshots holder(FlipView.Holder holder) {
        flip = new FlipView(flip.ip(), flip.provider(), holder, flip.metadata(), flip.selfDropletId());
        return this;
    }

    Snapshots metadata(FlipView.Metadata metadata) {
        flip = new FlipView(flip.ip(), flip.provider(), flip.holder(), Optional.of(metadata), flip.selfDropletId());
        return this;
    }

    Snapshots events(EventTail.Tail tail) {
        events = tail;
        return this;
    }

    Snapshots seenFrom(String node) {
        self = node;
        return this;
    }

    ClusterStatus status() {
        return ClusterAssembly.assemble(self, new ClusterProbe.Look("local", "", replies), localFence, recordKnown,
                configuredSync, flip, events);
    }

    StatusReport report() {
        return StatusReport.of(status());
    }

    List<String> codes() {
        return report().problems().stream().map(p -> p.code() + p.node().map(n -> "@" + n).orElse("")).toList();
    }
}
