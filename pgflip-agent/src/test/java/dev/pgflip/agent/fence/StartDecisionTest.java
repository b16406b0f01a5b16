package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.fence.StartDecision.Verdict;
import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.watch.ClusterFacts.Claim;
import dev.pgflip.agent.watch.ClusterFacts.DataPeer;
import dev.pgflip.agent.watch.ClusterFacts.WitnessView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Issue 13, hole 3, before the postmaster exists: which stopped old primary may start writable. */
class StartDecisionTest {
    private static final OptionalLong TIMELINE_3 = OptionalLong.of(3);
    private static final DataPeer N2_STANDBY_ON_3 = DataPeer.standby("n2", 0, true, 3);
    private static final DataPeer N2_UNREACHABLE = DataPeer.unreachable("n2", 0, true, "connect timed out");

    private static Optional<WitnessView> witness(Map<String, Claim> claims) {
        return Optional.of(new WitnessView("n3", claims));
    }

    private static FenceState fence(Verdict v) {
        assertThat(v).isInstanceOf(Verdict.InRecovery.class);
        return ((Verdict.InRecovery) v).fence();
    }

    @Test
    void theSuccessorsPromotionOnTheWitnessOutranksARestartedOldPrimaryEvenWithTheSuccessorDown() {
        Verdict v = StartDecision.decide("n1", TIMELINE_3, List.of(N2_UNREACHABLE),
                witness(Map.of("n2", new Claim(true, false, 4))));
        FenceState f = fence(v);
        assertThat(f.kind()).isEqualTo(FenceState.Kind.OUTRANKED);
        assertThat(f.reason()).contains("n2 (per the witness n3)").contains("timeline 4").contains("pgflip rejoin");
        assertThat(f.timeline()).isEqualTo(TIMELINE_3);
    }

    @Test
    void aPromotionOnAnOlderOrTheSameTimelineDoesNotOutrankThisNode() {
        // n2's last promotion brought timeline 2, n1's own (after a failback) timeline 3: n1 is the newest.
        Verdict v = StartDecision.decide("n1", TIMELINE_3, List.of(N2_STANDBY_ON_3),
                witness(Map.of("n2", new Claim(true, false, 2), "n1", new Claim(true, false, 3))));
        assertThat(v).isInstanceOf(Verdict.AsIs.class);
        assertThat(v.why()).contains("the witness n3 records no promotion after timeline 3");
    }

    @Test
    void thisNodesOwnPromotionIsNotARival() {
        Verdict v = StartDecision.decide("n1", TIMELINE_3, List.of(N2_STANDBY_ON_3),
                witness(Map.of("n1", new Claim(true, false, 5))));
        assertThat(v).isInstanceOf(Verdict.AsIs.class);
    }

    @Test
    void aPlannedRestartWithTheWitnessUpStartsAsItIsEvenWhileTheStandbyIsDown() {
        Verdict v = StartDecision.decide("n1", TIMELINE_3, List.of(N2_UNREACHABLE), witness(Map.of()));
        assertThat(v).isInstanceOf(Verdict.AsIs.class);
    }

    @Test
    void aPromotionClaimedButNotRecordedYetStartsTheNodeInRecoveryUnproven() {
        Verdict v = StartDecision.decide("n1", TIMELINE_3, List.of(N2_STANDBY_ON_3),
                witness(Map.of("n2", new Claim(true, true))));
        FenceState f = fence(v);
        assertThat(f.kind()).isEqualTo(FenceState.Kind.ISOLATED);
        assertThat(f.reason()).startsWith("isolated at start:").contains("the promotion of n2 is claimed");
    }

    @Test
    void aClaimLeftInFlightBeforeThisNodesOwnPromotionDoesNotKeepItFromStarting() {
        Verdict v = StartDecision.decide("n1", TIMELINE_3, List.of(N2_UNREACHABLE),
                witness(Map.of("n2", new Claim(true, true, -1, 5, 5), "n1", new Claim(false, false, 3, 6, 6))));
        assertThat(v).isInstanceOf(Verdict.AsIs.class);
        Verdict later = StartDecision.decide("n1", TIMELINE_3, List.of(N2_UNREACHABLE),
                witness(Map.of("n2", new Claim(true, true, -1, 7, 7), "n1", new Claim(false, false, 3, 6, 6))));
        assertThat(fence(later).reason()).contains("the promotion of n2 is claimed");
    }

    @Test
    void aPromotionRecordedLaterOntoTheSameTimelineNumberOutranksARestartedOldPrimary() {
        // n1 promoted onto 3 and killed; n2, which never followed it, promoted later onto 3 as well, and is down now.
        Verdict v = StartDecision.decide("n1", TIMELINE_3, List.of(N2_UNREACHABLE),
                witness(Map.of("n1", new Claim(false, false, 3, 5, 5), "n2", new Claim(false, false, 3, 6, 6))));
        FenceState f = fence(v);
        assertThat(f.kind()).isEqualTo(FenceState.Kind.OUTRANKED);
        assertThat(f.reason()).contains("n2 (per the witness n3)").contains("timeline 3");
    }

    @Test
    void aPeerAnsweringAsPrimaryOnTheSameOrANewerTimelineOutranksWhateverTheWitnessSays() {
        DataPeer n2Primary = DataPeer.primary("n2", 0, true, 3, "198.18.0.12", 5432);
        for (Optional<WitnessView> w : List.of(witness(Map.of()), Optional.<WitnessView>empty())) {
            FenceState f = fence(StartDecision.decide("n1", TIMELINE_3, List.of(n2Primary), w));
            assertThat(f.kind()).isEqualTo(FenceState.Kind.OUTRANKED);
            assertThat(f.reason()).contains("n2 is primary on timeline 3");
        }
    }

    @Test
    void withoutTheWitnessEveryDataPeerMustAnswerAsAStandbyNoNewerThanThisNode() {
        assertThat(StartDecision.decide("n1", TIMELINE_3, List.of(N2_STANDBY_ON_3, DataPeer.standby("n4", 0, true, 2)),
                Optional.empty())).isInstanceOf(Verdict.AsIs.class);

        FenceState unreachable = fence(StartDecision.decide("n1", TIMELINE_3, List.of(N2_STANDBY_ON_3,
                DataPeer.unreachable("n4", 0, true, "no route to host")), Optional.empty()));
        assertThat(unreachable.kind()).isEqualTo(FenceState.Kind.ISOLATED);
        assertThat(unreachable.reason()).contains("the witness does not answer")
                .contains("n4 is unreachable (no route to host)").doesNotContain("n2");

        FenceState newer = fence(StartDecision.decide("n1", TIMELINE_3, List.of(DataPeer.standby("n2", 0, true, 4)),
                Optional.empty()));
        assertThat(newer.reason()).contains("n2 is a standby on timeline 4, newer than this node's 3");

        FenceState olderPrimary = fence(StartDecision.decide("n1", TIMELINE_3,
                List.of(DataPeer.primary("n2", 0, true, 2, "198.18.0.12", 5432)), Optional.empty()));
        assertThat(olderPrimary.reason()).contains("n2 is a primary on older timeline 2");
    }

    @Test
    void anUnreadableLocalTimelineStartsTheNodeInRecoveryUntiedToATimeline() {
        FenceState f = fence(StartDecision.decide("n1", OptionalLong.empty(), List.of(N2_STANDBY_ON_3),
                witness(Map.of())));
        assertThat(f.kind()).isEqualTo(FenceState.Kind.ISOLATED);
        assertThat(f.reason()).contains("timeline could not be read");
        assertThat(f.timeline()).isEmpty();
    }

    @Test
    void theRecordTheGuardWritesReadsBackAsTheSameFence() {
        FenceState f = fence(StartDecision.decide("n1", TIMELINE_3, List.of(N2_UNREACHABLE),
                witness(Map.of("n2", new Claim(true, false, 4)))));
        assertThat(FenceState.parse(f.render())).contains(f);
    }
}
