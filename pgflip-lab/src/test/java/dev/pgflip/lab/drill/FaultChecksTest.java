package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.lab.drill.RunResult.Check;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verdicts of issue 13's faults on hand-made evidence: n1 the old primary, n2 the standby, the fault at 0. */
class FaultChecksTest {
    private static final long T = 1_800_000_000_000L;
    private static final long END = 40_000;

    @Test
    void aPairPartitionWithoutPromotionHasNoSplitBrain() {
        Check check = only(run(DrillFault.PAIR_PARTITION).writes("n1", 0, END).evidence());

        assertThat(check.name()).isEqualTo("no_split_brain");
        assertThat(check.passed()).isTrue();
        assertThat(check.detail()).contains("no promotion");
    }

    @Test
    void aPairPartitionPassesWhenTheOldPrimaryFencedBeforeTheStandbyWasWritable() {
        Check check = only(run(DrillFault.PAIR_PARTITION).writes("n1", 0, 1_200).writes("n2", 3_700, END)
                .event(1_300, "pgflip_watch_fenced", "n1", "\"kind\":\"ISOLATED\"")
                .event(3_600, "pgflip_watch_role_changed", "n2", "\"to\":\"PRIMARY\"").evidence());

        assertThat(check.passed()).isTrue();
        assertThat(check.detail()).contains("n2 writable at +3600 ms", "n1 fenced at +1300 ms (ISOLATED)",
                "0 direct write tick(s)");
    }

    @Test
    void aPairPartitionFailsWhenTheOldPrimaryKeptWritingBesideThePromotedStandby() {
        Check check = only(run(DrillFault.PAIR_PARTITION).writes("n1", 0, END).writes("n2", 2_500, END)
                .event(2_400, "standby_promote", "n2", "\"success\":true").evidence());

        assertThat(check.passed()).isFalse();
        assertThat(check.detail()).contains("n2 writable at +2400 ms", "n1 never fenced", "(first +2400 ms)");
    }

    @Test
    void aFenceThatComesAfterThePromotionIsNoExcuse() {
        Check check = only(run(DrillFault.PAIR_PARTITION).writes("n1", 0, 2_000).writes("n2", 2_000, END)
                .event(1_900, "pgflip_node_writable", "n2", "")
                .event(2_100, "pgflip_watch_fenced", "n1", "\"kind\":\"OUTRANKED\"").evidence());

        assertThat(check.passed()).isFalse();
        assertThat(check.detail()).contains("fenced at +2100 ms (OUTRANKED)");
    }

    @Test
    void aStandbyThatAcknowledgesADirectWriteWasPromotedEvenWithoutEvents() {
        List<Check> checks = FaultChecks.of(run(DrillFault.WITNESS_PARTITION).writes("n1", 0, END)
                .writes("n2", 5_000, 5_300).clientWrites(0, END, 100).evidence());

        assertThat(checks).extracting(Check::name).containsExactly("no_promotion", "writes_go_on");
        assertThat(checks.get(0).passed()).isFalse();
        assertThat(checks.get(0).detail()).contains("n2 became writable at +5000 ms");
        assertThat(checks.get(1).passed()).isTrue();
    }

    @Test
    void aFailedPromotionOrARoleChangeToAnythingElseIsNoPromotion() {
        ClusterEvents events = ClusterEvents.parse(List.of(
                line(1_000, "standby_promote", "n2", "\"success\":false"),
                line(1_050, "primary_register", "n2", "\"success\":false"),
                line(1_100, "pgflip_watch_role_changed", "n2", "\"to\":\"UNREACHABLE\""),
                line(-500, "pgflip_node_writable", "n2", ""),
                line(4_000, "repmgrd_failover_promote", "n2", "\"success\":true"),
                line(3_000, "pgflip_watch_role_changed", "n2", "\"to\":\"PRIMARY\"")));

        assertThat(FaultChecks.promotedAt(events, "n2", T)).contains(T + 3_000);
        assertThat(FaultChecks.promotedAt(events, "n1", T)).isEmpty();
    }

    @Test
    void aBlipMustPauseWritesLessThanTwoSeconds() {
        Check quick = FaultChecks.of(run(DrillFault.BLIP).writes("n1", 0, END).phase(Phase.HEALED, 830)
                .clientWrites(0, 500, 50).clientWrites(1_900, END, 50).evidence()).get(1);
        Check slow = FaultChecks.of(run(DrillFault.BLIP).writes("n1", 0, END).phase(Phase.HEALED, 830)
                .clientWrites(0, 500, 50).clientWrites(2_500, END, 50).evidence()).get(1);

        assertThat(quick.name()).isEqualTo("writes_pause_under_2s");
        assertThat(quick.passed()).isTrue();
        assertThat(quick.detail()).contains("longest write pause 1400 ms", "the link was down 830 ms");
        assertThat(slow.passed()).isFalse();
        assertThat(slow.detail()).contains("longest write pause 2000 ms", "limit < 2000 ms");
    }

    @Test
    void aBriefFreezeRidesThroughWithoutPromotionOrFenceAndWritesPauseLessThanTheFreezeAndTwoSeconds() {
        List<Check> held = FaultChecks.of(run(DrillFault.BRIEF_FREEZE).writes("n1", 0, 0).writes("n1", 2_600, END)
                .phase(Phase.HEALED, 2_530).clientWrites(0, 100, 50).clientWrites(2_700, END, 50).evidence());

        assertThat(held).extracting(Check::name).containsExactly("no_promotion", "primary_not_fenced",
                "writes_pause_under_freeze_plus_2s");
        assertThat(held).allMatch(Check::passed);
        assertThat(held.get(2).detail()).contains("longest write pause 2600 ms", "limit < 4500 ms",
                "n1 was frozen 2530 ms");

        List<Check> fenced = FaultChecks.of(run(DrillFault.BRIEF_FREEZE).writes("n1", 0, 0)
                .event(2_000, "pgflip_watch_fenced", "n1", "\"kind\":\"ISOLATED\",\"reason\":\"isolated: no peer answered"
                        + " for 1400ms\"").phase(Phase.HEALED, 2_530).clientWrites(0, 100, 50).evidence());
        assertThat(fenced.get(1).passed()).isFalse();
        assertThat(fenced.get(1).detail()).contains("n1 fenced itself at +2000 ms: isolated: no peer answered for 1400ms");
        assertThat(fenced.get(2).passed()).as("and the writes never came back").isFalse();

        List<Check> promoted = FaultChecks.of(run(DrillFault.BRIEF_FREEZE).writes("n1", 0, 0)
                .event(4_100, "pgflip_watch_role_changed", "n2", "\"to\":\"PRIMARY\"").phase(Phase.HEALED, 2_530)
                .clientWrites(0, 100, 50).clientWrites(4_300, END, 50).evidence());
        assertThat(promoted.get(0).passed()).isFalse();
        assertThat(promoted.get(0).detail()).contains("n2 became writable at +4100 ms");
    }

    @Test
    void aThawAtElectionHoldsWhenEveryStandbyLeftHasALoopingRepmgrdWhateverItLedTo() {
        Check held = only(run(DrillFault.THAW_AT_ELECTION).writes("n1", 0, END).phase(Phase.ELECTION_WON, 3_990)
                .phase(Phase.HEALED, 4_010).phase(Phase.REPMGRDS_LOOPING, 14_200).evidence());
        assertThat(held.name()).isEqualTo("repmgrds_looping_after_thaw");
        assertThat(held.passed()).isTrue();
        assertThat(held.detail()).contains("10190 ms after n1 continued");

        Check dead = only(run(DrillFault.THAW_AT_ELECTION).writes("n1", 0, END).phase(Phase.PROMOTION_CLAIMED, 3_990)
                .phase(Phase.HEALED, 4_010).evidence());
        assertThat(dead.passed()).isFalse();
        assertThat(dead.detail()).contains("did not loop 30 s after n1 continued");

        Check never = only(run(DrillFault.THAW_AT_ELECTION).writes("n1", 0, END).evidence());
        assertThat(never.passed()).isFalse();
        assertThat(never.detail()).contains("never continued");

        Check unclaimed = only(run(DrillFault.THAW_AT_ELECTION).writes("n1", 0, END).phase(Phase.HEALED, 20_010)
                .phase(Phase.REPMGRDS_LOOPING, 30_100).evidence());
        assertThat(unclaimed.passed()).as("the fault did not happen as meant").isFalse();
        assertThat(unclaimed.detail()).contains("no standby won an election nor claimed its promotion");
    }

    @Test
    void aBrokenPauseNamesTheWritesThatWereRunningInIt() {
        Check slow = FaultChecks.of(run(DrillFault.BLIP).writes("n1", 0, END).phase(Phase.HEALED, 830)
                .clientWrites(0, 500, 50).clientWrite(520, 2_900, true, null)
                .clientWrite(560, 1_560, false, "Connection attempt timed out. " + "x".repeat(200))
                .clientWrites(3_000, END, 50).evidence()).get(1);

        assertThat(slow.passed()).isFalse();
        assertThat(slow.detail()).contains("the pause ran +500 ms to +2900 ms",
                "+520 ms..+2900 ms acked by n1", "+560 ms..+1560 ms failed: Connection attempt timed out.")
                .doesNotContain("x".repeat(121));
        Check quick = FaultChecks.of(run(DrillFault.BLIP).writes("n1", 0, END).phase(Phase.HEALED, 830)
                .clientWrites(0, 500, 50).clientWrite(520, 1_400, true, null).clientWrites(1_450, END, 50)
                .evidence()).get(1);
        assertThat(quick.passed()).isTrue();
        assertThat(quick.detail()).as("a held check stays one line").doesNotContain("the pause ran");
    }

    @Test
    void writesThatStopForGoodPauseUntilTheEnd() {
        Check check = FaultChecks.of(run(DrillFault.CDC_STREAM).phase(Phase.CDC_STREAMING, -3_000)
                .writes("n1", 0, 500).clientWrites(0, 500, 50).evidence()).get(1);

        assertThat(check.name()).isEqualTo("writes_pause_within_degrade_bound");
        assertThat(check.passed()).isFalse();
        assertThat(check.detail()).contains("longest write pause 39500 ms", "limit <= 4000 ms");
    }

    @Test
    void aCdcStreamRunPassesWhenWritesResumeWithinDegradeAfterPlusWalSenderTimeout() {
        List<Check> checks = FaultChecks.of(run(DrillFault.CDC_STREAM).phase(Phase.CDC_STREAMING, -3_000)
                .writes("n1", 0, END).clientWrites(0, 500, 50).clientWrites(1_700, END, 50).evidence());

        assertThat(checks).extracting(Check::name).containsExactly("cdc_stream_connected",
                "writes_pause_within_degrade_bound");
        assertThat(checks).allMatch(Check::passed);
        assertThat(checks.get(0).detail()).contains("pgflip_drill_cdc", "since -3000 ms");
    }

    @Test
    void aCdcStreamThatNeverStreamedFailsItsCheck() {
        Check check = FaultChecks.of(run(DrillFault.CDC_STREAM).clientWrites(0, END, 50).evidence()).get(0);

        assertThat(check.passed()).isFalse();
        assertThat(check.detail()).contains("never seen streaming", "plain standby-down");
    }

    @Test
    void aStaleRestartPassesWhenTheRestartedPrimaryTakesNeitherTheFlipNorWrites() {
        List<Check> checks = FaultChecks.of(staleRestart().assign("n2", 2_800).holders("n2", "n2").evidence());

        assertThat(checks).extracting(Check::name).containsExactly("first_failover_done", "stale_primary_took_no_flip",
                "stale_primary_took_no_writes");
        assertThat(checks).allMatch(Check::passed);
        assertThat(checks.get(2).detail()).contains("0 direct write tick(s)", "{pgflip=0}", "no start-guard decision",
                "it never fenced itself");
    }

    @Test
    void aStaleRestartShowsTheStartGuardsDecision() {
        Check check = FaultChecks.staleTookNoWrites(staleRestart().event(8_900, "pgflip_start_guard", "n1",
                "\"outcome\":\"starts in recovery\",\"reason\":\"outranked: n2 (per the witness n3) is primary on"
                        + " timeline 2; run pgflip rejoin on this node\"").evidence());

        assertThat(check.passed()).isTrue();
        assertThat(check.detail()).contains("start-guard: starts in recovery (outranked: n2 (per the witness n3)");
    }

    @Test
    void aStaleRestartFailsWhenTheRestartedPrimaryTakesTheFlipOrAWrite() {
        List<Check> checks = FaultChecks.of(staleRestart().assign("n2", 2_800).assign("n1", 15_000)
                .holders("n1", "n1").writes("n1", 14_000, 20_000).staleClientWrite("n1", 16_000).evidence());

        assertThat(checks.get(1).passed()).isFalse();
        assertThat(checks.get(1).detail()).contains("1 assignment(s) of the FLIP to n1 (first completed +15000 ms)",
                "on n1 by the interfaces, n1 by the API");
        assertThat(checks.get(2).passed()).isFalse();
        assertThat(checks.get(2).detail()).contains("60 direct write tick(s) (first +14000 ms)", "{pgflip=1}");
    }

    @Test
    void aStaleRestartShowsWhyTheRestartedPrimaryRefusedWrites() {
        Check check = FaultChecks.staleTookNoWrites(staleRestart().event(9_900, "pgflip_watch_fenced", "n1",
                "\"reason\":\"outranked: n1 is primary on timeline 1; run pgflip rejoin on this node\"").evidence());

        assertThat(check.passed()).isTrue();
        assertThat(check.detail()).contains("it fenced itself at +9900 ms: outranked: n1 is primary on timeline 1");
    }

    /**
     * Started by hand the stale node is writable until its watch fences it: the check holds once it fenced and says
     * how soon and what it acknowledged before; pgflip-jdbc must have written nothing there.
     */
    @Test
    void aStaleRestartByHandHoldsWhenTheWatchFencedItAndPgflipWroteNothingThere() {
        Builder byHand = run(DrillFault.STALE_RESTART_BY_HAND).writer("n2").writes("n1", 0, 0)
                .writes("n2", 2_500, 8_000).phase(Phase.SECOND_KILL, 8_000).phase(Phase.RESTARTED, 9_500)
                .clientWrites(2_500, 8_000, 50).writes("n1", 10_000, 10_400)
                .event(10_450, "pgflip_watch_fenced", "n1", "\"kind\":\"OUTRANKED\",\"reason\":\"n2 promoted on timeline 2\"");
        List<Check> fenced = FaultChecks.of(byHand.evidence());
        List<Check> pgflipWroteThere = FaultChecks.of(byHand.staleClientWrite("n1", 10_100).evidence());
        List<Check> neverFenced = FaultChecks.of(run(DrillFault.STALE_RESTART_BY_HAND).writer("n2")
                .writes("n1", 0, 0).writes("n2", 2_500, 8_000).phase(Phase.SECOND_KILL, 8_000)
                .phase(Phase.RESTARTED, 9_500).writes("n1", 10_000, END).evidence());

        assertThat(fenced).extracting(Check::name).containsExactly("first_failover_done", "stale_primary_took_no_flip",
                "stale_primary_fenced_by_watch", "pgflip_wrote_nothing_to_stale_primary");
        assertThat(fenced).allSatisfy(c -> assertThat(c.passed()).as(c.name() + ": " + c.detail()).isTrue());
        assertThat(fenced.get(2).detail()).contains("fenced itself 950 ms later (OUTRANKED: n2 promoted on timeline 2)",
                "(first +10000 ms)", "client writes {pgflip=0} before the fence");
        assertThat(pgflipWroteThere.get(3).passed()).isFalse();
        assertThat(pgflipWroteThere.get(3).detail()).endsWith(": 1");
        assertThat(neverFenced.get(2).passed()).isFalse();
        assertThat(neverFenced.get(2).detail()).contains("never fenced itself");
    }

    @Test
    void aStaleRestartWhoseFirstFailoverNeverCompletedFailsEveryCheckAsNotMeasured() {
        List<Check> checks = FaultChecks.of(run(DrillFault.STALE_RESTART).writes("n1", 0, 0).evidence());

        assertThat(checks).noneMatch(Check::passed);
        assertThat(checks.get(0).detail()).contains("the failover did not complete")
                .as("which standby would have been promoted is not known").doesNotContain("n2");
        assertThat(checks.get(1).detail()).startsWith("not measured: n1 was never restarted");
    }

    @Test
    void aHandPromotionPassesWhenTheOldPrimaryFencedAndAcknowledgedNothingAfterIt() {
        Check fine = only(run(DrillFault.HAND_PROMOTE).writer("n2").phase(Phase.PROMOTED_BY_HAND, 300)
                .writes("n1", 0, 350).writes("n2", 400, END)
                .event(1_400, "pgflip_watch_fenced", "n1", "\"kind\":\"OUTRANKED\"").evidence());
        Check keptWriting = only(run(DrillFault.HAND_PROMOTE).writer("n2").phase(Phase.PROMOTED_BY_HAND, 300)
                .writes("n1", 0, 3_000).writes("n2", 400, END)
                .event(2_900, "pgflip_watch_fenced", "n1", "\"kind\":\"OUTRANKED\"").evidence());
        Check neverFenced = only(run(DrillFault.HAND_PROMOTE).writer("n2").phase(Phase.PROMOTED_BY_HAND, 300)
                .writes("n1", 0, 350).writes("n2", 400, END).evidence());
        Check neverPromoted = only(run(DrillFault.HAND_PROMOTE).writes("n1", 0, END).evidence());

        assertThat(fine.name()).isEqualTo("old_primary_fenced_took_no_writes");
        assertThat(fine.passed()).as(fine.detail()).isTrue();
        assertThat(fine.detail()).contains("n1 fenced itself at +1400 ms (OUTRANKED", "acknowledged 0 direct write");
        assertThat(keptWriting.passed()).isFalse();
        assertThat(keptWriting.detail()).contains("(first +400 ms)");
        assertThat(neverFenced.passed()).isFalse();
        assertThat(neverFenced.detail()).contains("never fenced itself");
        assertThat(neverPromoted.passed()).isFalse();
        assertThat(neverPromoted.detail()).startsWith("not measured");
    }

    @Test
    void aFreezeMidQueryNeedsAStandbysWatchToHaveEndedItsRepmgrdsConnection() {
        Check unblocked = only(run(DrillFault.FREEZE_MID_QUERY).writer("n2").phase(Phase.FROZEN_MID_QUERY, 2_700)
                .event(6_200, "pgflip_watch_repmgrd_unblocked", "n2",
                        "\"peer\":\"198.18.0.11:5432\",\"unanswered_ms\":5496").evidence());
        Check stuck = only(run(DrillFault.FREEZE_MID_QUERY).writes("n1", 0, 2_700)
                .phase(Phase.FROZEN_MID_QUERY, 2_700).event(6_200, "pgflip_watch_repmgrd_unblock_failed", "n2",
                        "\"error\":\"ss -K: SOCK_DESTROY answers: Operation not permitted\"").evidence());
        Check neverFrozen = only(run(DrillFault.FREEZE_MID_QUERY).writes("n1", 0, END).evidence());

        assertThat(unblocked.name()).isEqualTo("stuck_repmgrd_unblocked");
        assertThat(unblocked.passed()).as(unblocked.detail()).isTrue();
        assertThat(unblocked.detail()).contains("n2's pgflip watch ended its repmgrd's connection to 198.18.0.11:5432"
                + " at +6200 ms (no answer for 5496 ms); n1 frozen at +2700 ms");
        assertThat(stuck.passed()).isFalse();
        assertThat(stuck.detail()).contains("repmgrd_unblock_failed");
        assertThat(neverFrozen.passed()).isFalse();
        assertThat(neverFrozen.detail()).startsWith("not measured");
    }

    @Test
    void pairHealKillNeedsEveryRepmgrdLoopingBeforeTheKill() {
        Check released = only(run(DrillFault.PAIR_HEAL_KILL).writer("n2").phase(Phase.HEALED, -9_000)
                .phase(Phase.REPMGRDS_LOOPING, -6_500).evidence());
        Check stuck = only(run(DrillFault.PAIR_HEAL_KILL).writer("n2").phase(Phase.HEALED, -33_000).evidence());
        Check late = only(run(DrillFault.PAIR_HEAL_KILL).writer("n2").phase(Phase.HEALED, -9_000)
                .phase(Phase.REPMGRDS_LOOPING, 200).evidence());
        Check neverHealed = only(run(DrillFault.PAIR_HEAL_KILL).writer("n2").evidence());

        assertThat(released.name()).isEqualTo("repmgrds_looping_before_kill");
        assertThat(released.passed()).isTrue();
        assertThat(released.detail()).contains("again 2500 ms after the heal; the kill came 9000 ms after it");
        assertThat(stuck.passed()).isFalse();
        assertThat(stuck.detail()).contains("repmgrd_released");
        assertThat(late.passed()).isFalse();
        assertThat(neverHealed.passed()).isFalse();
        assertThat(neverHealed.detail()).startsWith("not measured: the cut was never healed");
    }

    @Test
    void theNewPrimaryMustNeitherFenceItselfNorStopWritingWhenTheWitnessDiesAfterAFailover() {
        Builder alone = run(DrillFault.WITNESS_AFTER_FAILOVER).writer("n2").phase(Phase.WITNESS_KILLED, 10_000)
                .clientWrites(3_000, END, 50);
        List<Check> fine = FaultChecks.of(alone.evidence());
        List<Check> fenced = FaultChecks.of(run(DrillFault.WITNESS_AFTER_FAILOVER).writer("n2")
                .phase(Phase.WITNESS_KILLED, 10_000).clientWrites(3_000, 11_300, 50)
                .event(11_200, "pgflip_watch_fenced", "n2", "\"reason\":\"isolated: no peer answered for 1200ms\"")
                .evidence());

        assertThat(fine).extracting(Check::name).containsExactly("first_failover_done", "new_primary_not_fenced",
                "new_primary_keeps_writing");
        assertThat(fine).allMatch(Check::passed);
        assertThat(fenced.get(1).passed()).isFalse();
        assertThat(fenced.get(1).detail()).contains("n2 fenced itself at +11200 ms: isolated");
        assertThat(fenced.get(2).passed()).isFalse();
        assertThat(fenced.get(2).detail()).contains("from +10000 ms");
    }

    @Test
    void theHookExitIsReadFromWhatRepmgrdRecordedAfterIt() {
        // The hook records the promotion with repmgr primary register --force; repmgr standby promote (by hand) too.
        Builder ok = apiSlow().event(2_000, "primary_register", "n2", "\"success\":true")
                .event(9_000, "repmgrd_failover_promote", "n2", "\"success\":true");
        Builder byHand = apiSlow().event(2_000, "standby_promote", "n2", "\"success\":true")
                .event(9_000, "repmgrd_failover_promote", "n2", "\"success\":true");
        Builder unrecorded = apiSlow().event(2_000, "primary_register", "n2", "\"success\":false")
                .event(9_000, "repmgrd_failover_promote", "n2", "\"success\":true");
        Builder failed = apiSlow().event(2_000, "standby_promote", "n2", "\"success\":true")
                .event(21_000, "pgflip_promote_failed", "n2", "\"error\":\"deadline of 20s exceeded\"")
                .event(21_500, "repmgrd_promote_error", "n2", "\"success\":true");

        assertThat(FaultChecks.promoteHookExitedZero(ok.evidence()).passed()).isTrue();
        assertThat(FaultChecks.promoteHookExitedZero(ok.evidence()).detail()).contains("primary_register (success) at +2000 ms");
        assertThat(FaultChecks.promoteHookExitedZero(byHand.evidence()).passed()).isTrue();
        assertThat(FaultChecks.promoteHookExitedZero(unrecorded.evidence()).passed()).isFalse();
        Check bad = FaultChecks.promoteHookExitedZero(failed.evidence());
        assertThat(bad.passed()).isFalse();
        assertThat(bad.detail()).contains("repmgrd_promote_error at +21500 ms (PROMOTION_FAILED",
                "pgflip_promote_failed at +21000 ms: deadline of 20s exceeded");
        Check resumed = FaultChecks.promoteHookExitedZero(failed.event(21_600, "repmgrd_failover_promote", "n2",
                "\"details\":\"promotion command failed but promotion completed successfully\"").evidence());
        assertThat(resumed.passed()).as("repmgrd resuming after PROMOTION_FAILED is no exit 0").isFalse();
        assertThat(resumed.detail()).contains("repmgrd_failover_promote at +21600 ms (promotion command failed");
        Check pending = FaultChecks.promoteHookExitedZero(apiSlow().event(2_000, "standby_promote", "n2",
                "\"success\":true").evidence());
        assertThat(pending.passed()).isFalse();
        assertThat(pending.detail()).contains("neither repmgrd_failover_promote nor repmgrd_promote_error");
    }

    @Test
    void theFlipMustMoveWhileTheApiIsStillSlow() {
        assertThat(FaultChecks.flipMovedWhileApiSlow(apiSlow().assign("n2", 17_000).evidence()).passed()).isTrue();
        Check late = FaultChecks.flipMovedWhileApiSlow(apiSlow().assign("n2", 36_000).evidence());
        assertThat(late.passed()).isFalse();
        assertThat(late.detail()).contains("moved to n2 at +36000 ms, the API slow until +35000 ms",
                "delayed 12 API call(s)");
        assertThat(FaultChecks.flipMovedWhileApiSlow(apiSlow().assign("n1", 1_000).evidence()).passed()).isFalse();
    }

    @Test
    void theNewPrimaryMustTakeWritesWithoutWaitingSoonAfterItsPromotionAndRestoreWhenTheStandbyStreams() {
        Builder onTime = apiSlow().event(1_800, "pgflip_watch_role_changed", "n2", "\"to\":\"PRIMARY\"")
                .event(1_900, "pgflip_watch_sync_degraded", "n2", "").writes("n2", 1_900, END)
                .phase(Phase.OLD_PRIMARY_STREAMING, 24_000).event(24_300, "pgflip_watch_sync_enabled", "n2", "");
        Builder late = apiSlow().event(1_800, "pgflip_watch_role_changed", "n2", "\"to\":\"PRIMARY\"")
                .event(9_900, "pgflip_watch_sync_degraded", "n2", "").writes("n2", 9_900, END)
                .phase(Phase.OLD_PRIMARY_STREAMING, 24_000).event(32_000, "pgflip_watch_sync_enabled", "n2", "");

        Check degradedOnTime = FaultChecks.syncDegradedOnTime(onTime.evidence());
        assertThat(degradedOnTime.passed()).isTrue();
        assertThat(degradedOnTime.detail()).contains("acknowledged without waiting at +1900 ms (100 ms later",
                "pgflip_watch_sync_degraded at +1900 ms");
        assertThat(FaultChecks.syncRestoredOnTime(onTime.evidence()).passed()).isTrue();
        Check degraded = FaultChecks.syncDegradedOnTime(late.evidence());
        assertThat(degraded.passed()).isFalse();
        assertThat(degraded.detail()).contains("8100 ms later, limit 2000 ms");
        Check restored = FaultChecks.syncRestoredOnTime(late.evidence());
        assertThat(restored.passed()).isFalse();
        assertThat(restored.detail()).contains("8000 ms later, limit 2000 ms");
    }

    @Test
    void aNewPrimaryThatHadNothingToDegradeOnlyHasToTakeWrites() {
        Check free = FaultChecks.syncDegradedOnTime(apiSlow()
                .event(2_000, "pgflip_watch_role_changed", "n2", "\"to\":\"PRIMARY\"").writes("n2", 2_100, END)
                .evidence());
        Check stuck = FaultChecks.syncDegradedOnTime(apiSlow()
                .event(2_000, "pgflip_watch_role_changed", "n2", "\"to\":\"PRIMARY\"").evidence());

        assertThat(free.passed()).isTrue();
        assertThat(free.detail()).contains("no pgflip_watch_sync_degraded");
        assertThat(stuck.passed()).isFalse();
        assertThat(stuck.detail()).contains("no direct write acknowledged on it by the end");
    }

    @Test
    void aRestoreThatCouldNotBeStagedIsReportedAsNotMeasured() {
        Check check = FaultChecks.syncRestoredOnTime(apiSlow().evidence());

        assertThat(check.passed()).isFalse();
        assertThat(check.detail()).startsWith("not measured: n1 was not rejoined while the API was slow");
    }

    @Test
    void theFaultsBeforeIssue13HaveNoChecksOfTheirOwn() {
        for (DrillFault fault : List.of(DrillFault.KILL, DrillFault.PARTITION, DrillFault.STANDBY_DOWN,
                DrillFault.API_DOWN, DrillFault.FAILBACK)) {
            assertThat(FaultChecks.of(run(fault).evidence())).as(fault.cliName()).isEmpty();
        }
    }

    @Test
    void evidenceReadsItsOwnPhasesAndNamesTimesFromTheFault() {
        RunEvidence e = run(DrillFault.BLIP).phase(Phase.HEALED, 812).evidence();

        assertThat(e.phase(Phase.HEALED)).isEqualTo(Optional.of(T + 812));
        assertThat(e.phase(Phase.RESTARTED)).isEmpty();
        assertThat(e.at(T - 40)).isEqualTo("-40 ms");
        assertThat(e.referenceStack()).isEqualTo("pgflip");
    }

    @Test
    void aSwitchoverHoldsWhenTheCommandExitedZeroNoCallFailedAndWritesOnlyPaused() {
        List<Check> held = FaultChecks.of(run(DrillFault.SWITCHOVER).writer("n2").clientWrites(0, 1_000, 50)
                .clientWrites(2_200, END, 50).phase(Phase.SWITCHOVER_DONE, 9_000).evidence());
        assertThat(held).extracting(Check::name).containsExactly("switchover_exit_0", "no_failed_requests",
                "writes_pause_under_5s");
        assertThat(held).allMatch(Check::passed);
        assertThat(held.get(2).detail()).contains("longest write pause 1200 ms");

        Builder failed = run(DrillFault.SWITCHOVER).writer("n2").clientWrites(0, 1_000, 50).clientWrites(7_000, END, 50)
                .failedClientRead(1_100);
        List<Check> checks = FaultChecks.of(failed.evidence());
        assertThat(checks.get(0).passed()).as("no SWITCHOVER_DONE phase: the command did not exit 0").isFalse();
        assertThat(checks.get(1)).satisfies(c -> assertThat(c.passed()).isFalse())
                .satisfies(c -> assertThat(c.detail()).isEqualTo("pgflip: 0 failed write(s), 1 failed read(s); first: read"
                        + " at +1100 ms on n2: An I/O error occurred while sending to the backend."));
        assertThat(checks.get(2).passed()).as("a 6 s stop of the writes").isFalse();
    }

    private static Builder staleRestart() {
        return run(DrillFault.STALE_RESTART).writer("n2").writes("n1", 0, 0).writes("n2", 2_500, 8_000)
                .phase(Phase.SECOND_KILL, 8_000).phase(Phase.RESTARTED, 9_500).clientWrites(2_500, 8_000, 50);
    }

    private static Builder apiSlow() {
        return run(DrillFault.API_SLOW).writer("n2").phase(Phase.API_LATENCY_CLEARED, 35_000).delayed(12);
    }

    private static Check only(RunEvidence evidence) {
        List<Check> checks = FaultChecks.of(evidence);
        assertThat(checks).hasSize(1);
        return checks.get(0);
    }

    @Test
    void withTwoStandbysTheOneNotPromotedMustStreamFromTheNewPrimary() {
        List<Check> following = FaultChecks.of(run(DrillFault.KILL).writer("n2").followers(Map.of("n4", "n2"))
                .evidence());
        List<Check> astray = FaultChecks.of(run(DrillFault.KILL).writer("n2")
                .followers(new java.util.TreeMap<>(Map.of("n4", "n1", "n5", "none"))).evidence());

        assertThat(following).extracting(Check::name).containsExactly("standbys_follow");
        assertThat(following.get(0).passed()).isTrue();
        assertThat(following.get(0).detail()).contains("n4 <- n2");
        assertThat(astray.get(0).passed()).isFalse();
        assertThat(astray.get(0).detail()).contains("new primary n2", "n4 <- n1", "n5 <- none");
    }

    @Test
    void theStandbyKeptBehindMustNotBeTheOnePromoted() {
        Check ahead = FaultChecks.of(run(DrillFault.STANDBY_BEHIND).writer("n2").behind("n4", 81_920L)
                .writes("n2", 2_000, END).evidence()).get(0);
        Check behindPromoted = FaultChecks.of(run(DrillFault.STANDBY_BEHIND).writer("n2").behind("n2", 81_920L)
                .writes("n2", 2_000, END).evidence()).get(0);
        Check nonePromoted = FaultChecks.of(run(DrillFault.STANDBY_BEHIND).writer("n2").behind("n2", 81_920L)
                .evidence()).get(0);

        assertThat(ahead.passed()).as(ahead.detail()).isTrue();
        assertThat(ahead.detail()).contains("n2 was promoted, not n4", "81920 bytes");
        assertThat(behindPromoted.passed()).isFalse();
        assertThat(behindPromoted.detail()).contains("n2 was promoted though it was 81920 bytes of WAL behind");
        assertThat(nonePromoted.passed()).isFalse();
        assertThat(nonePromoted.detail()).contains("no standby became writable");
    }

    @Test
    void withOneStandbyThereIsNoFollowCheck() {
        assertThat(FaultChecks.of(run(DrillFault.KILL).writer("n2").evidence())).isEmpty();
    }

    private static Builder run(DrillFault fault) {
        return new Builder(fault);
    }

    private static String line(long at, String event, String node, String extra) {
        return "{\"ts\":\"" + Instant.ofEpochMilli(T + at) + "\",\"event\":\"" + event + "\",\"node\":\"" + node + "\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /** Evidence of one run, times in ms from the fault; the writable probe's ticks run from the fault to {@link #END}. */
    private static final class Builder {
        private final DrillFault fault;
        private String writer = "n1";
        private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
        private final List<String> events = new ArrayList<>();
        private final List<RunEvidence.FlipAssignment> assignments = new ArrayList<>();
        private String byInterfaces;
        private String byApi;
        private final List<OpRecord> ops = new ArrayList<>();
        private final Map<String, boolean[]> ticks = new LinkedHashMap<>();
        private Integer delayed;
        private Map<String, String> followers = Map.of();
        private StandbyBehindScenario.StandbyBehind behind;

        Builder(DrillFault fault) {
            this.fault = fault;
            ticks.put("n1", new boolean[(int) (END / WritableNodesProbe.TICK_MS)]);
            ticks.put("n2", new boolean[(int) (END / WritableNodesProbe.TICK_MS)]);
        }

        Builder behind(String node, Long bytes) {
            behind = new StandbyBehindScenario.StandbyBehind(node, bytes);
            return this;
        }

        Builder followers(Map<String, String> upstreams) {
            followers = upstreams;
            return this;
        }

        Builder writer(String node) {
            writer = node;
            return this;
        }

        Builder phase(Phase phase, long at) {
            phases.put(phase, T + at);
            return this;
        }

        Builder event(long at, String event, String node, String extra) {
            events.add(line(at, event, node, extra));
            return this;
        }

        Builder assign(String node, long completedAt) {
            assignments.add(new RunEvidence.FlipAssignment(node, T + completedAt));
            return this;
        }

        Builder holders(String interfaces, String api) {
            byInterfaces = interfaces;
            byApi = api;
            return this;
        }

        /** The probe: {@code node} acknowledged a direct write in every tick from {@code from} to {@code to}. */
        Builder writes(String node, long from, long to) {
            for (long t = from; t < to; t += WritableNodesProbe.TICK_MS) {
                ticks.get(node)[(int) (t / WritableNodesProbe.TICK_MS)] = true;
            }
            return this;
        }

        /** The reference stack (pgflip) acknowledged a write every {@code every} ms from {@code from} to {@code to}. */
        Builder clientWrites(long from, long to, long every) {
            for (long t = from; t <= to; t += every) {
                ops.add(new OpRecord("pgflip", OpRecord.Kind.WRITE, ops.size(), T + t - 5, T + t, true, writer, null));
            }
            return this;
        }

        /** One write of the reference stack from {@code start} to {@code end}, acknowledged or failed. */
        Builder clientWrite(long start, long end, boolean ok, String error) {
            ops.add(new OpRecord("pgflip", OpRecord.Kind.WRITE, ops.size(), T + start, T + end, ok, ok ? writer : null,
                    error));
            return this;
        }

        Builder failedClientRead(long at) {
            ops.add(new OpRecord("pgflip", OpRecord.Kind.READ, ops.size(), T + at - 5, T + at, false, writer,
                    "An I/O error occurred while sending to the backend."));
            return this;
        }

        Builder staleClientWrite(String node, long at) {
            ops.add(new OpRecord("pgflip", OpRecord.Kind.WRITE, ops.size(), T + at - 5, T + at, true, node, null));
            return this;
        }

        Builder delayed(int calls) {
            delayed = calls;
            return this;
        }

        RunEvidence evidence() {
            Map<String, List<OpRecord>> clientOps = new LinkedHashMap<>();
            clientOps.put("pgflip", ops);
            return new RunEvidence(fault, T, T + END, "n1", "n2", writer, phases, ClusterEvents.parse(events),
                    assignments, byInterfaces, byApi, clientOps, new WritableNodesProbe.Ticks(T, ticks),
                    new SyncSettings(1_000, 3_000), delayed, behind, followers);
        }
    }
}
