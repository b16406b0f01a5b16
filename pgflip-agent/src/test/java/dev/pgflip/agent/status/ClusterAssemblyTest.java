package dev.pgflip.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.node.FenceState;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ClusterAssemblyTest {

    @Test
    void rolesComeFromWhatEachNodeAnswersAndTheWitnessIsAWitness() {
        ClusterStatus s = Snapshots.healthy().status();

        assertThat(s.nodes()).extracting(n -> n.name() + ":" + n.role().key())
                .containsExactly("n1:primary", "n2:standby", "n3:witness");
        assertThat(s.primary()).map(NodeRow::name).contains("n1");
        assertThat(s.local()).map(NodeRow::name).contains("n2");
        assertThat(s.nodes().get(2).watch()).isEqualTo(WatchPresence.State.NOT_EXPECTED);
        assertThat(s.nodes().get(2).timeline()).isEmpty();
        assertThat(s.synchronousStandbyNames()).contains(Snapshots.SYNC);
    }

    @Test
    void aStandbysReplicationIsThePrimarysWalsenderNamedAfterItInAnyCase() {
        ClusterStatus s = Snapshots.healthy().answer(0, Snapshots.primary(1, Snapshots.streaming("N2", "sync"))).status();

        NodeRow.Replication r = s.nodes().get(1).replication().orElseThrow();
        assertThat(r.state()).isEqualTo("streaming");
        assertThat(r.syncState()).contains("sync");
        assertThat(r.flushLagBytes()).hasValue(0);
        assertThat(r.replayLagBytes()).hasValue(128);
        assertThat(r.replayLagMillis()).hasValue(3);
        assertThat(s.nodes().get(0).replication()).isEmpty();
    }

    @Test
    void withoutAWalsenderTheLagIsTheDifferenceOfTheTwoWalPositions() {
        ClusterStatus s = Snapshots.healthy().answer(0, Snapshots.primary(1)).status();

        NodeRow.Replication r = s.nodes().get(1).replication().orElseThrow();
        assertThat(r.state()).isEqualTo(NodeRow.Replication.NONE);
        assertThat(r.streaming()).isFalse();
        assertThat(r.replayLagBytes()).hasValue(10_000);
        assertThat(r.syncState()).isEmpty();
    }

    @Test
    void theUpstreamIsNamedByTheAddressItStreamsFromElseShownAsIs() {
        assertThat(Snapshots.healthy().status().nodes().get(1).upstream()).contains("n1");
        assertThat(Snapshots.healthy().answer(1, Snapshots.standby(1, "10.0.0.9:5432")).status().nodes().get(1).upstream())
                .contains("10.0.0.9:5432");
    }

    @Test
    void aSenderIsMatchedByHostAndPortOrByHostAlone() {
        List<NodeReply> replies = List.of(NodeReply.unreachable(Snapshots.node(1, "n1",
                dev.pgflip.agent.db.RepmgrNode.Type.PRIMARY, true, java.util.OptionalInt.empty()), "x"));

        assertThat(ClusterAssembly.nodeAt("198.18.0.11:5432", replies)).isEqualTo("n1");
        assertThat(ClusterAssembly.nodeAt("198.18.0.11", replies)).isEqualTo("n1");
        assertThat(ClusterAssembly.nodeAt("198.18.0.11:5433", replies)).isEqualTo("198.18.0.11:5433");
    }

    @Test
    void anUnreachableNodeHasNoRoleFactsAndItsWatchIsUnknown() {
        NodeRow n2 = Snapshots.healthy().unreachable(1, "Connection refused").status().nodes().get(1);

        assertThat(n2.role()).isEqualTo(NodeRow.Role.UNREACHABLE);
        assertThat(n2.reachable()).isFalse();
        assertThat(n2.error()).contains("Connection refused");
        assertThat(n2.watch()).isEqualTo(WatchPresence.State.UNKNOWN);
        assertThat(n2.fence().readOnly()).isEmpty();
        assertThat(n2.timeline()).isEmpty();
    }

    @Test
    void theFenceRecordIsKnownForThisNodeOnlyAndTheSettingForEveryNode() {
        ClusterStatus s = Snapshots.healthy().seenFrom("n1")
                .answer(0, readOnly(Snapshots.primary(3, Snapshots.streaming("n2", "quorum"))))
                .localFence(FenceState.isolated(1150).on(3)).status();

        NodeRow n1 = s.nodes().get(0);
        assertThat(n1.fence().readOnly()).contains(true);
        assertThat(n1.fence().record()).contains("isolated: no peer answered for 1150ms");
        assertThat(n1.fence().recordKnown()).isTrue();
        assertThat(n1.fence().fenced()).isTrue();
        NodeRow n2 = s.nodes().get(1);
        assertThat(n2.fence().recordKnown()).isFalse();
        assertThat(n2.fence().fenced()).isFalse();
    }

    @Test
    void aFenceRecordOfAnOlderTimelineNoLongerSpeaksOfTheNode() {
        ClusterStatus s = Snapshots.healthy().localFence(FenceState.isolated(1150).on(1))
                .answer(1, Snapshots.standby(2, "198.18.0.11:5432")).status();

        assertThat(s.nodes().get(1).fence().record()).isEmpty();
        assertThat(s.nodes().get(1).fence().fenced()).isFalse();
    }

    @Test
    void twoWritableNodesLeaveNoSinglePrimaryAndNoReplicationView() {
        ClusterStatus s = Snapshots.healthy().answer(1, Snapshots.primary(2)).status();

        assertThat(s.writable()).extracting(NodeRow::name).containsExactly("n1", "n2");
        assertThat(s.primary()).isEmpty();
        assertThat(s.synchronousStandbyNames()).isEmpty();
    }

    static NodeAnswer readOnly(NodeAnswer a) {
        return new NodeAnswer(a.inRecovery(), a.timeline(), true, a.receivingFrom(), a.walBytes(),
                a.synchronousStandbyNames(), a.watchSessions(), a.watchIdleSeconds(), a.walsenders(),
                a.repmgrdUpstreamLastSeen(), a.repmgrdUpstreamNodeId());
    }

    static NodeAnswer watch(NodeAnswer a, int sessions, OptionalLong idle) {
        return new NodeAnswer(a.inRecovery(), a.timeline(), a.readOnly(), a.receivingFrom(), a.walBytes(),
                a.synchronousStandbyNames(), sessions, idle, a.walsenders(), a.repmgrdUpstreamLastSeen(), a.repmgrdUpstreamNodeId());
    }

    static NodeAnswer syncNames(NodeAnswer a, String names) {
        return new NodeAnswer(a.inRecovery(), a.timeline(), a.readOnly(), a.receivingFrom(), a.walBytes(), names,
                a.watchSessions(), a.watchIdleSeconds(), List.copyOf(a.walsenders()),
                a.repmgrdUpstreamLastSeen(), a.repmgrdUpstreamNodeId());
    }

    static Optional<String> none() {
        return Optional.empty();
    }
}
