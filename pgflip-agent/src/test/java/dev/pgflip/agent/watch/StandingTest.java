package dev.pgflip.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.watch.ClusterFacts.DataPeer;
import dev.pgflip.agent.watch.ClusterFacts.WitnessView;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The partial-partition model of issue 13: who may act as the only primary, from one look at the cluster. */
class StandingTest {
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final WitnessView WITNESS_SEES_N1 = new WitnessView("n3", Optional.of("n1"), false, 1, 0);

    private static ClusterFacts n1(List<DataPeer> peers, Optional<WitnessView> witness, Set<String> streaming,
            boolean consensus) {
        return new ClusterFacts("n1", 1, 3, peers, witness, streaming, consensus);
    }

    @Test
    void aStandbyStreamingFromThisNodeMakesItTheOnlyPrimary() {
        Standing s = Standing.decide(n1(List.of(DataPeer.standby("n2", 2, true)), Optional.empty(), Set.of("n2"), false),
                WINDOW);
        assertThat(s).isEqualTo(new Standing.Sole("every active data peer streams from this node"));
    }

    @Test
    void anUnreachableStandbyIsPossiblyPrimaryWithoutTheWitness() {
        Standing s = Standing.decide(n1(List.of(DataPeer.unreachable("n2", 2, true, "connect timed out")),
                Optional.empty(), Set.of(), true), WINDOW);
        assertThat(s).isInstanceOf(Standing.Unproven.class);
        assertThat(((Standing.Unproven) s).why()).contains("n2 (unreachable: connect timed out)")
                .contains("the witness does not answer");
    }

    @Test
    void aStandbyInRecoveryButNotStreamingFromHereMayBeBeingPromoted() {
        Standing s = Standing.decide(n1(List.of(DataPeer.standby("n2", 2, true)), Optional.empty(), Set.of(), true),
                WINDOW);
        assertThat(s).isInstanceOf(Standing.Unproven.class);
        assertThat(((Standing.Unproven) s).why()).contains("a standby not streaming from here");
    }

    @Test
    void theWitnessVouchesOnlyWithVisibilityConsensus() {
        List<DataPeer> lost = List.of(DataPeer.unreachable("n2", 2, true, "timeout"));
        assertThat(Standing.decide(n1(lost, Optional.of(WITNESS_SEES_N1), Set.of(), true), WINDOW))
                .isInstanceOf(Standing.Sole.class);
        Standing without = Standing.decide(n1(lost, Optional.of(WITNESS_SEES_N1), Set.of(), false), WINDOW);
        assertThat(without).as("repmgr's default: n2 promotes even though the witness sees n1")
                .isInstanceOf(Standing.Unproven.class);
        assertThat(((Standing.Unproven) without).why()).contains("primary_visibility_consensus is off");
    }

    @Test
    void theWitnessMustHoldThisNodeAsPrimaryMonitorItAndHaveSeenItRecently() {
        List<DataPeer> lost = List.of(DataPeer.unreachable("n2", 2, true, "timeout"));
        assertThat(Standing.decide(n1(lost, Optional.of(new WitnessView("n3", Optional.of("n1"), false, 1, 2)),
                Set.of(), true), WINDOW)).as("last seen 2 s ago: repmgr no longer counts it").isInstanceOf(Standing.Unproven.class);
        assertThat(Standing.decide(n1(lost, Optional.of(new WitnessView("n3", Optional.of("n1"), false, 1, -1)),
                Set.of(), true), WINDOW)).as("never seen").isInstanceOf(Standing.Unproven.class);
        assertThat(Standing.decide(n1(lost, Optional.of(new WitnessView("n3", Optional.of("n1"), false, 2, 0)),
                Set.of(), true), WINDOW)).as("the witness follows n2").isInstanceOf(Standing.Unproven.class);
        assertThat(Standing.decide(n1(lost, Optional.of(new WitnessView("n3", Optional.empty(), false, 1, 0)),
                Set.of(), true), WINDOW)).as("no active primary in its records").isInstanceOf(Standing.Unproven.class);
    }

    @Test
    void aPeerPrimaryOnANewerOrTheSameTimelineOutranks() {
        Standing s = Standing.decide(n1(List.of(DataPeer.primary("n2", 2, true, 4, "198.18.0.12", 5432)),
                Optional.of(WITNESS_SEES_N1), Set.of(), true), WINDOW);
        assertThat(s).isEqualTo(new Standing.Outranked(new PeerPrimary("n2", "198.18.0.12", 5432, 4)));
        assertThat(Standing.decide(n1(List.of(DataPeer.primary("n2", 2, true, 3, "198.18.0.12", 5432)),
                Optional.empty(), Set.of(), true), WINDOW)).isInstanceOf(Standing.Outranked.class);
    }

    @Test
    void anOldPrimaryOnAnOlderTimelineIsNoRivalButNoProofEither() {
        Standing s = Standing.decide(n1(List.of(DataPeer.primary("n2", 2, true, 2, "198.18.0.12", 5432)),
                Optional.empty(), Set.of(), true), WINDOW);
        assertThat(s).isInstanceOf(Standing.Unproven.class);
        assertThat(((Standing.Unproven) s).why()).contains("primary on older timeline 2");
    }

    @Test
    void aReplacedOldPrimaryThatRestartedLearnsItFromTheWitness() {
        ClusterFacts stale = n1(List.of(DataPeer.unreachable("n2", 2, true, "connection refused")),
                Optional.of(new WitnessView("n3", Optional.of("n2"), true, 2, 0)), Set.of(), true);
        Standing s = Standing.decide(stale, WINDOW);
        assertThat(s).isEqualTo(new Standing.Outranked(PeerPrimary.byWitness("n2", "n3")));
        assertThat(((Standing.Outranked) s).by().confirmed()).isTrue();
    }

    @Test
    void aWitnessLateToLearnOfThisNodesOwnPromotionProvesNothingAgainstIt() {
        ClusterFacts justPromoted = n1(List.of(DataPeer.unreachable("n2", 2, true, "connection refused")),
                Optional.of(new WitnessView("n3", Optional.of("n2"), false, 2, 0)), Set.of(), true);
        assertThat(Standing.decide(justPromoted, WINDOW)).isInstanceOf(Standing.Unproven.class);
    }

    @Test
    void anInactivePeerIsLeftOutAfterAFailover() {
        ClusterFacts n2 = new ClusterFacts("n2", 2, 2, List.of(DataPeer.unreachable("n1", 1, false, "refused")),
                Optional.empty(), Set.of(), true);
        assertThat(Standing.decide(n2, WINDOW)).isInstanceOf(Standing.Sole.class);
    }
}
