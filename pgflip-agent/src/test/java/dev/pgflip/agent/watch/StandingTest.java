package dev.pgflip.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.node.PeerPrimary;
import dev.pgflip.agent.node.Standing;
import dev.pgflip.agent.watch.ClusterFacts.Claim;
import dev.pgflip.agent.watch.ClusterFacts.DataPeer;
import dev.pgflip.agent.watch.ClusterFacts.WitnessView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The partial-partition model of issue 13: who may act as the only primary, from one look at the cluster. */
class StandingTest {
    private static final DataPeer LOST_N2 = DataPeer.unreachable("n2", 2, true, "connect timed out");

    private static ClusterFacts n1(List<DataPeer> peers, Optional<WitnessView> witness, Set<String> streaming) {
        return new ClusterFacts("n1", 3, peers, witness, streaming);
    }

    private static Optional<WitnessView> witness(Map<String, Claim> claims) {
        return Optional.of(new WitnessView("n3", claims));
    }

    @Test
    void aStandbyStreamingFromThisNodeMakesItTheOnlyPrimary() {
        Standing s = StandingDecision.decide(n1(List.of(DataPeer.standby("n2", 2, true)), Optional.empty(), Set.of("n2")));
        assertThat(s).isEqualTo(new Standing.Sole("every active data peer streams from this node"));
    }

    @Test
    void anUnreachableStandbyIsPossiblyPrimaryWithoutTheWitness() {
        Standing s = StandingDecision.decide(n1(List.of(LOST_N2), Optional.empty(), Set.of()));
        assertThat(s).isInstanceOf(Standing.Unproven.class);
        assertThat(((Standing.Unproven) s).why()).contains("n2 (unreachable: connect timed out)")
                .contains("the witness does not answer");
    }

    @Test
    void aStandbyInRecoveryButNotStreamingFromHereMayBeBeingPromoted() {
        Standing s = StandingDecision.decide(n1(List.of(DataPeer.standby("n2", 2, true)), witness(Map.of()), Set.of()));
        assertThat(s).isInstanceOf(Standing.Unproven.class);
        assertThat(((Standing.Unproven) s).why()).contains("a standby not streaming from here")
                .contains("the witness holds it eligible for promotion");
    }

    @Test
    void aStandbyTheWitnessHoldsIneligibleCannotBePromotedSoThisNodeIsTheOnlyPrimary() {
        Standing s = StandingDecision.decide(n1(List.of(LOST_N2), witness(Map.of("n2", new Claim(false, false))), Set.of()));
        assertThat(s).isEqualTo(new Standing.Sole("the witness holds n2 (unreachable: connect timed out) ineligible for"
                + " promotion"));
    }

    @Test
    void anEligibleStandbyOutOfReachIsPossiblyPrimary() {
        assertThat(StandingDecision.decide(n1(List.of(LOST_N2), witness(Map.of("n2", new Claim(true, false))), Set.of())))
                .isInstanceOf(Standing.Unproven.class);
    }

    @Test
    void aClaimedPromotionOutranksThisNodeBeforeTheStandbyIsEvenWritable() {
        Standing s = StandingDecision.decide(n1(List.of(LOST_N2), witness(Map.of("n2", new Claim(true, true))), Set.of()));
        assertThat(s).isEqualTo(new Standing.Outranked(PeerPrimary.beingPromoted("n2", "n3")));
        assertThat(((Standing.Outranked) s).by().confirmed()).isTrue();
    }

    @Test
    void aStaleClaimOfAStandbyThatStreamsFromThisNodeMeansNothing() {
        Standing s = StandingDecision.decide(n1(List.of(DataPeer.standby("n2", 2, true)),
                witness(Map.of("n2", new Claim(true, true))), Set.of("n2")));
        assertThat(s).isInstanceOf(Standing.Sole.class);
    }

    @Test
    void aPeerPrimaryOnANewerOrTheSameTimelineOutranks() {
        Standing s = StandingDecision.decide(n1(List.of(DataPeer.primary("n2", 2, true, 4, "198.18.0.12", 5432)),
                witness(Map.of()), Set.of()));
        assertThat(s).isEqualTo(new Standing.Outranked(new PeerPrimary("n2", "198.18.0.12", 5432, 4)));
        assertThat(StandingDecision.decide(n1(List.of(DataPeer.primary("n2", 2, true, 3, "198.18.0.12", 5432)),
                Optional.empty(), Set.of()))).isInstanceOf(Standing.Outranked.class);
    }

    @Test
    void anOldPrimaryOnAnOlderTimelineIsNoRivalButNoProofEither() {
        Standing s = StandingDecision.decide(n1(List.of(DataPeer.primary("n2", 2, true, 2, "198.18.0.12", 5432)),
                Optional.empty(), Set.of()));
        assertThat(s).isInstanceOf(Standing.Unproven.class);
        assertThat(((Standing.Unproven) s).why()).contains("primary on older timeline 2");
    }

    @Test
    void anOldPrimaryRestartedWhileItsSuccessorIsDownLearnsFromTheRecordedPromotion() {
        ClusterFacts stale = n1(List.of(DataPeer.unreachable("n2", 2, true, "connection refused")),
                Optional.of(new WitnessView("n3", Map.of("n2", new Claim(false, false, 4)))),
                Set.of());
        Standing s = StandingDecision.decide(stale);
        assertThat(s).isEqualTo(new Standing.Outranked(PeerPrimary.promotedPerWitness("n2", "n3", 4)));
        assertThat(((Standing.Outranked) s).by().describeTimeline()).isEqualTo("timeline 4");
        ClusterFacts current = n1(List.of(DataPeer.standby("n2", 2, true)),
                Optional.of(new WitnessView("n3", Map.of("n2", new Claim(true, false, 3)))),
                Set.of("n2"));
        assertThat(StandingDecision.decide(current)).as("its promotion onto timeline 3 is this node's past").isInstanceOf(
                Standing.Sole.class);
    }

    @Test
    void aClaimLeftInFlightBeforeThisNodesOwnClaimNoLongerOutranksIt() {
        // n2 was promoted and killed before its watch recorded it; n1 claimed after it, was promoted and recorded.
        Map<String, Claim> claims = Map.of("n2", new Claim(true, true, -1, 5, 5), "n1", new Claim(false, false, 3, 6, 6));
        DataPeer goneN2 = DataPeer.unreachable("n2", 2, false, "connection refused");
        assertThat(StandingDecision.decide(n1(List.of(goneN2), witness(claims), Set.of())))
                .isEqualTo(new Standing.Sole("every active data peer streams from this node"));
        assertThat(StandingDecision.decide(n1(List.of(LOST_N2), witness(claims), Set.of())))
                .as("active and unreachable: no proof, but no claim against this node either")
                .isInstanceOf(Standing.Unproven.class);
        Map<String, Claim> olderAgent = Map.of("n2", new Claim(true, true, -1, 5, Claim.UNKNOWN),
                "n1", new Claim(false, false, 3, 6, 6));
        assertThat(StandingDecision.decide(n1(List.of(goneN2), witness(olderAgent), Set.of())))
                .as("a claim by an older agent is placed by when its row changed").isInstanceOf(Standing.Sole.class);
    }

    @Test
    void aClaimMadeAfterThisNodesOwnOrOfUnknownOrderStillOutranksIt() {
        for (Claim mine : List.of(new Claim(false, false, 3, 4, 4), new Claim(false, false, 3), new Claim(false, true))) {
            Standing s = StandingDecision.decide(n1(List.of(LOST_N2),
                    witness(Map.of("n2", new Claim(true, true, -1, 5, 5), "n1", mine)), Set.of()));
            assertThat(s).as("n1's row %s", mine).isEqualTo(new Standing.Outranked(PeerPrimary.beingPromoted("n2", "n3")));
        }
        assertThat(StandingDecision.decide(n1(List.of(LOST_N2), witness(Map.of("n2", new Claim(true, true, -1, 5, 5))),
                Set.of()))).as("no row of its own").isInstanceOf(Standing.Outranked.class);
    }

    @Test
    void aPromotionRecordedAfterThisNodesOntoTheSameTimelineNumberOutranksIt() {
        // Split timelines: n2 never received n1's history, so its promotion took the same number, later.
        ClusterFacts split = n1(List.of(DataPeer.unreachable("n2", 2, true, "refused")),
                witness(Map.of("n1", new Claim(false, false, 3, 5, 5), "n2", new Claim(false, false, 3, 7, 7))), Set.of());
        assertThat(StandingDecision.decide(split))
                .isEqualTo(new Standing.Outranked(PeerPrimary.promotedPerWitness("n2", "n3", 3)));
        ClusterFacts earlier = n1(List.of(DataPeer.standby("n2", 2, true)),
                witness(Map.of("n1", new Claim(false, false, 3, 7, 7), "n2", new Claim(true, false, 3, 5, 5))), Set.of("n2"));
        assertThat(StandingDecision.decide(earlier)).as("n2's promotion came before n1's").isInstanceOf(
                Standing.Sole.class);
    }

    @Test
    void theFencesFastLookNamesARecordedPromotionBeforeAClaimAndSkipsASupersededClaim() {
        WitnessView w = new WitnessView("n3", Map.of(
                "n1", new Claim(false, false, 3, 6, 6),
                "n2", new Claim(true, true, -1, 5, 5),     // in flight, but before n1's own claim
                "n4", new Claim(true, true, -1, 7, 7),     // in flight, after it
                "n5", new Claim(false, false, 4, 2, 2)));  // recorded onto a newer timeline
        assertThat(w.outranking("n1", List.of("n2", "n4", "n5"), 3))
                .contains(new dev.pgflip.agent.node.ClaimedPromotion("n5", true));
        assertThat(w.outranking("n1", List.of("n4", "n2"), 3))
                .contains(new dev.pgflip.agent.node.ClaimedPromotion("n4", false));
        assertThat(w.outranking("n1", List.of("n2"), 3)).isEmpty();
        assertThat(w.outranking("n1", List.of("n5"), Long.MAX_VALUE)).as("timeline unknown: nothing newer").isEmpty();
    }

    @Test
    void anInactivePeerIsLeftOutAfterAFailover() {
        ClusterFacts n2 = new ClusterFacts("n2", 2, List.of(DataPeer.unreachable("n1", 1, false, "refused")),
                Optional.empty(), Set.of());
        assertThat(StandingDecision.decide(n2)).isInstanceOf(Standing.Sole.class);
    }
}
