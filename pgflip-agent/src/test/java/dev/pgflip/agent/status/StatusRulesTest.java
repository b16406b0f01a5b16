package dev.pgflip.agent.status;

import static dev.pgflip.agent.status.ClusterAssemblyTest.readOnly;
import static dev.pgflip.agent.status.ClusterAssemblyTest.syncNames;
import static dev.pgflip.agent.status.ClusterAssemblyTest.watch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.node.FenceState;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusRulesTest {

    @Test
    void aHealthyClusterNeedsNothingAndExitsZero() {
        StatusReport report = Snapshots.healthy().report();

        assertThat(report.problems()).isEmpty();
        assertThat(report.healthy()).isTrue();
        assertThat(report.exitCode()).isZero();
    }

    @Test
    void anyProblemExitsFive() {
        StatusReport report = Snapshots.healthy().unreachable(1, "Connection refused").report();

        assertThat(report.exitCode()).isEqualTo(5);
        assertThat(report.exitCode()).isEqualTo(dev.pgflip.agent.ExitCode.ATTENTION.code());
    }

    @Test
    void noNodeListAtAllIsClusterUnreadableAlone() {
        ClusterStatus s = new ClusterStatus("n2", "", "the local node cannot be asked: refused", List.of(),
                Optional.empty(), Optional.empty(), Snapshots.healthy().status().flip(), new EventTail.Tail(List.of(), ""));

        List<Problem> problems = StatusRules.judge(s);

        assertThat(problems).extracting(Problem::code).containsExactly(Problem.CLUSTER_UNREADABLE);
        assertThat(problems.get(0).message()).contains("refused");
    }

    @Test
    void aStoppedStandbyIsOneUnreachableNodeNamingItsAddress() {
        Snapshots s = Snapshots.healthy().unreachable(1, "Connection refused").answer(0, Snapshots.primary(1));

        assertThat(s.codes()).containsExactly("node_unreachable@n2");
        Problem p = s.report().problems().get(0);
        assertThat(p.message()).contains("n2 (standby, 198.18.0.12:5432) does not answer: Connection refused");
        assertThat(p.fix()).contains("198.18.0.12:5432");
    }

    @Test
    void anUnreachableNodeRepmgrMarkedFailedIsToldToRejoin() {
        Snapshots s = Snapshots.healthy().unreachable(1, "timeout")
                .node(1, Snapshots.node(2, "n2", RepmgrNode.Type.PRIMARY, false, OptionalInt.empty()))
                .answer(0, Snapshots.primary(2));

        assertThat(s.report().problems().get(0).fix()).contains("pgflip rejoin");
    }

    @Test
    void noPrimaryIsSaidOnceAndNothingIsSaidAboutTheFlipOrReplication() {
        Snapshots s = Snapshots.healthy().unreachable(0, "No route to host");

        assertThat(s.codes()).containsExactly("no_primary", "node_unreachable@n1");
        assertThat(s.report().problems().get(0).message()).contains("some do not answer");
    }

    @Test
    void twoWritableNodesAreSplitBrainWithTheirTimelines() {
        Snapshots s = Snapshots.healthy().answer(1, Snapshots.primary(2));

        assertThat(s.codes()).containsExactly("several_writable");
        assertThat(s.report().problems().get(0).message()).isEqualTo(
                "n1 (timeline 1) and n2 (timeline 2) both accept writes: split brain");
    }

    @Test
    void aReadOnlyPrimaryIsAFencedPrimary() {
        Snapshots s = Snapshots.healthy().answer(0, readOnly(Snapshots.primary(1, Snapshots.streaming("n2", "quorum"))));

        assertThat(s.codes()).containsExactly("fenced_primary@n1");
        assertThat(s.report().problems().get(0).message()).contains("default_transaction_read_only is on");
    }

    @Test
    void aFenceRecordOnThisNodeMakesItsPrimaryFencedEvenBeforeTheSetting() {
        Snapshots s = Snapshots.healthy().seenFrom("n1").localFence(FenceState.isolated(1150))
                .metadata(FlipView.Metadata.answered(true, Optional.of(Snapshots.FLIP)));

        assertThat(s.codes()).containsExactly("fenced_primary@n1");
        assertThat(s.report().problems().get(0).message()).contains("isolated: no peer answered for 1150ms");
    }

    @Test
    void anOldPrimaryFencedInRecoveryIsToldToRejoinAndIsNotAlsoNotStreaming() {
        Snapshots s = Snapshots.healthy().answer(0, Snapshots.primary(2))
                .answer(1, readOnly(new NodeAnswer(true, 1, false, Optional.empty(), OptionalLong.of(30_000), "", 1,
                        OptionalLong.of(0), List.of())))
                .holder(FlipView.Holder.droplet(101, Optional.of("n1"), Optional.of("n1"), false));

        assertThat(s.codes()).containsExactly("fenced_node@n2");
        assertThat(s.report().problems().get(0).fix()).contains("pgflip rejoin");
    }

    @Test
    void theFlipOnAnotherDropletOrOnNoneIsNotOnThePrimary() {
        Snapshots elsewhere = Snapshots.healthy()
                .holder(FlipView.Holder.droplet(103, Optional.of("n3"), Optional.of("n3"), false));
        assertThat(elsewhere.codes()).containsExactly("flip_not_on_primary@n1");
        assertThat(elsewhere.report().problems().get(0).message())
                .isEqualTo("the floating IP 198.18.0.100 is on droplet 103 (n3), but the primary is n1: writes through"
                        + " the floating IP fail");

        Snapshots stranger = Snapshots.healthy().holder(FlipView.Holder.droplet(999, Optional.empty(), Optional.empty(), false));
        assertThat(stranger.report().problems().get(0).message()).contains("droplet 999 (no node of repmgr.nodes)");

        Snapshots nobody = Snapshots.healthy().holder(FlipView.Holder.nobody(false));
        assertThat(nobody.codes()).containsExactly("flip_not_on_primary@n1");
        assertThat(nobody.report().problems().get(0).message()).contains("not assigned to any droplet");
    }

    @Test
    void theLocalProviderJudgesOnlyWhetherTheAddressIsHere() {
        FlipView local = new FlipView(Snapshots.FLIP, "local", FlipView.Holder.local(true, Optional.of("n2")),
                Optional.empty(), OptionalLong.empty());
        assertThat(Snapshots.healthy().flip(local).codes()).containsExactly("flip_not_on_primary@n1");

        FlipView notHere = new FlipView(Snapshots.FLIP, "local", FlipView.Holder.local(false, Optional.of("n2")),
                Optional.empty(), OptionalLong.empty());
        assertThat(Snapshots.healthy().flip(notHere).codes()).isEmpty();
        assertThat(Snapshots.healthy().seenFrom("n1").flip(notHere).codes()).containsExactly("flip_not_on_primary@n1");
    }

    @Test
    void anUnreadableApiIsAProblemForDigitalOceanButTheExecProviderCannotTell() {
        Snapshots api = Snapshots.healthy().holder(FlipView.Holder.unknown("token rejected (401)"));
        assertThat(api.codes()).containsExactly("flip_unknown");
        assertThat(api.report().problems().get(0).message()).contains("token rejected (401)");

        FlipView exec = new FlipView(Snapshots.FLIP, "exec", FlipView.Holder.unknown("the exec provider cannot tell"),
                Optional.empty(), OptionalLong.empty());
        assertThat(Snapshots.healthy().flip(exec).codes()).isEmpty();
    }

    @Test
    void theMetadataServiceDisagreeingWithTheApiAboutThisDropletIsSaid() {
        Snapshots s = Snapshots.healthy().metadata(FlipView.Metadata.answered(true, Optional.of(Snapshots.FLIP)));
        assertThat(s.codes()).containsExactly("flip_views_disagree@n2");

        Snapshots agree = Snapshots.healthy().seenFrom("n1")
                .holder(FlipView.Holder.droplet(101, Optional.of("droplet-a"), Optional.of("n1"), false))
                .metadata(FlipView.Metadata.answered(true, Optional.of(Snapshots.FLIP)));
        assertThat(agree.codes()).isEmpty();

        Snapshots anotherIp = Snapshots.healthy().metadata(FlipView.Metadata.answered(true, Optional.of("203.0.113.7")));
        assertThat(anotherIp.codes()).isEmpty();

        Snapshots unknown = Snapshots.healthy().metadata(FlipView.Metadata.unknown("HTTP 404"));
        assertThat(unknown.codes()).isEmpty();
    }

    @Test
    void aStandbyWithoutAWalsenderDoesNotStream() {
        Snapshots s = Snapshots.healthy().answer(0, Snapshots.primary(1));

        assertThat(s.codes()).containsExactly("not_streaming@n2");
        assertThat(s.report().problems().get(0).message()).isEqualTo("n2 does not stream from the primary n1 (no walsender for it)");
    }

    @Test
    void aStandbyInCatchupDoesNotStreamYet() {
        Snapshots s = Snapshots.healthy().answer(0, Snapshots.primary(1, new NodeAnswer.Walsender("n2", "catchup", "async",
                OptionalLong.of(9000), OptionalLong.of(9000), OptionalLong.empty())));

        assertThat(s.codes()).containsExactly("not_streaming@n2");
    }

    @Test
    void aNamedStandbyStreamingAsynchronouslyIsSyncExpectedButAsync() {
        Snapshots s = Snapshots.healthy()
                .answer(0, syncNames(Snapshots.primary(1, Snapshots.streaming("n2", "async")), ""));

        assertThat(s.codes()).containsExactly("sync_expected_async@n2");
        assertThat(s.report().problems().get(0).message())
                .isEqualTo("n2 streams asynchronously from n1, whose synchronous_standby_names is '' (configured: '"
                        + Snapshots.SYNC + "')");
    }

    @Test
    void asyncIsFineWhenNothingIsConfiguredOrTheStandbyIsNotNamed() {
        Snapshots unconfigured = Snapshots.healthy().configuredSync(Optional.empty())
                .answer(0, Snapshots.primary(1, Snapshots.streaming("n2", "async")));
        assertThat(unconfigured.codes()).isEmpty();

        Snapshots notNamed = Snapshots.healthy().configuredSync(Optional.of("FIRST 1 (n7)"))
                .answer(0, Snapshots.primary(1, Snapshots.streaming("n2", "async")));
        assertThat(notNamed.codes()).isEmpty();

        Snapshots potential = Snapshots.healthy().answer(0, Snapshots.primary(1, Snapshots.streaming("n2", "potential")));
        assertThat(potential.codes()).isEmpty();
    }

    @Test
    void aDataNodeWithoutItsWatchSessionOrWithAStalledOneNeedsItsWatch() {
        Snapshots absent = Snapshots.healthy().answer(1, watch(Snapshots.standby(1, "198.18.0.11:5432"), 0,
                OptionalLong.empty()));
        assertThat(absent.codes()).containsExactly("watch_not_alive@n2");
        assertThat(absent.report().problems().get(0).message())
                .isEqualTo("pgflip watch does not run on n2 (no session 'pgflip-watch:n2' on its PostgreSQL)");

        Snapshots stalled = Snapshots.healthy().answer(0, watch(Snapshots.primary(1, Snapshots.streaming("n2", "quorum")),
                1, OptionalLong.of(600)));
        assertThat(stalled.codes()).containsExactly("watch_not_alive@n1");
        assertThat(stalled.report().problems().get(0).message()).contains("stopped or hung");
    }

    @Test
    void theWitnessNeedsNoWatch() {
        Snapshots s = Snapshots.healthy().answer(2, watch(Snapshots.witness(), 0, OptionalLong.empty()));

        assertThat(s.codes()).isEmpty();
    }

    @Test
    void problemsComeInTheOrderOfTheirCauses() {
        Snapshots s = Snapshots.healthy().unreachable(2, "refused")
                .answer(0, watch(syncNames(Snapshots.primary(1, Snapshots.streaming("n2", "async")), ""), 0,
                        OptionalLong.empty()))
                .holder(FlipView.Holder.nobody(true));

        assertThat(s.codes()).containsExactly("node_unreachable@n3", "flip_not_on_primary@n1", "sync_expected_async@n2",
                "watch_not_alive@n1");
    }

    @Test
    void aStandbyWhoseRepmgrdHasNotSeenItsUpstreamForTenSecondsIsStalled() {
        Snapshots looping = Snapshots.healthy().answer(1, Snapshots.standby(1, "198.18.0.11:5432")
                .withRepmgrdUpstreamLastSeen(StatusRules.REPMGRD_STALE_S - 1));
        assertThat(looping.codes()).isEmpty();

        Snapshots stalled = Snapshots.healthy().answer(1, Snapshots.standby(1, "198.18.0.11:5432")
                .withRepmgrdUpstreamLastSeen(54));
        assertThat(stalled.codes()).containsExactly("repmgrd_stalled@n2");
        assertThat(stalled.report().problems().get(0).message())
                .startsWith("repmgrd on n2 last saw n1 54 s ago: it is not looping");
        assertThat(stalled.report().problems().get(0).fix()).contains("repmgrd_released");
    }

    @Test
    void aStandbyWhoseRepmgrdNeverLookedHasNoFailover() {
        Snapshots s = Snapshots.healthy().answer(1, Snapshots.standby(1, "198.18.0.11:5432")
                .withRepmgrdUpstreamLastSeen(-1));

        assertThat(s.codes()).containsExactly("repmgrd_not_looking@n2");
        assertThat(s.report().problems().get(0).message()).contains("no automatic failover from n2");
    }

    @Test
    void aFencedStandbysRepmgrdIsNotJudgedItIsToldToRejoin() {
        Snapshots s = Snapshots.healthy().answer(0, Snapshots.primary(2))
                .answer(1, readOnly(Snapshots.standby(1, "198.18.0.11:5432")).withRepmgrdUpstreamLastSeen(-1))
                .holder(FlipView.Holder.droplet(101, Optional.of("n1"), Optional.of("n1"), false));

        assertThat(s.codes()).containsExactly("fenced_node@n2");
    }

    @Test
    void aWitnessWhoseRepmgrdStillMonitorsTheOldPrimaryIsNotFollowing() {
        // n1 primary again after a failback: the witness's repmgrd still checks n2, the primary before, now a standby,
        // and finds it no primary (repmgr 5.3.3's loop on a stale copy of repmgr.nodes).
        Snapshots s = Snapshots.healthy().answer(2, Snapshots.witness(2, 0));

        assertThat(s.codes()).containsExactly("witness_not_following@n3");
        assertThat(s.report().problems().get(0).message())
                .isEqualTo("repmgrd on the witness n3 monitors n2 (last answered 0 s ago), but the primary is n1");
        assertThat(s.report().problems().get(0).fix()).contains("restart repmgrd").contains("witness_sync_interval");
    }

    @Test
    void aWitnessWhoseRepmgrdFollowsThePrimaryNeedsNothingUntilItStopsLooking() {
        assertThat(Snapshots.healthy().answer(2, Snapshots.witness(1, StatusRules.REPMGRD_STALE_S - 1)).codes())
                .isEmpty();

        Snapshots stalled = Snapshots.healthy().answer(2, Snapshots.witness(1, 40));
        assertThat(stalled.codes()).containsExactly("repmgrd_stalled@n3");
        assertThat(stalled.report().problems().get(0).message())
                .isEqualTo("repmgrd on the witness n3 last saw n1 40 s ago: it is not monitoring the primary");

        assertThat(Snapshots.healthy().answer(2, Snapshots.witness(-1, -1)).codes())
                .containsExactly("repmgrd_not_looking@n3");
    }

    @Test
    void withoutASinglePrimaryTheWitnessIsNotJudgedOnWhomItFollows() {
        Snapshots s = Snapshots.healthy().unreachable(0, "refused").answer(2, Snapshots.witness(1, 3));

        assertThat(s.codes()).doesNotContain("witness_not_following@n3").contains("no_primary");
    }
}
