package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.node.ClaimedPromotion;
import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.node.PeerPrimary;
import dev.pgflip.agent.node.Standing;
import dev.pgflip.agent.node.WatchLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SelfFencingTest {
    private static final Duration BOUND = Duration.ofMillis(1150);
    private static final Peer STANDBY = new Peer("n2", "standby", "198.18.0.12", 5432, true, true);
    private static final Peer WITNESS = new Peer("n3", "witness", "198.18.0.13", 5432, true, false);
    private static final Peer REPLACED_OLD_PRIMARY = new Peer("n1", "primary", "198.18.0.11", 5432, false, false);

    private final FakePeers peers = new FakePeers();
    private final FakeFence fence = new FakeFence();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Standing standing = new Standing.Sole("every active data peer streams from this node");
    private long now;
    private final SelfFencing fencing = new SelfFencing(peers, fence, () -> standing, BOUND,
            Duration.ofMillis(250), new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1",
            PromoteTimeline.NONE), () -> now);

    private void later() {
        now += Duration.ofSeconds(1).toNanos();
    }

    @Test
    void aPrimaryCutOffLongerThanTheBoundFencesItself() {
        fencing.roleSeen(NodeRole.PRIMARY);
        peers.isolated = Duration.ofMillis(1100);
        fencing.check();
        assertThat(fence.fences).isEmpty();
        peers.isolated = Duration.ofMillis(1200);
        fencing.check();
        assertThat(fence.fences).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(FenceState.Kind.ISOLATED);
            assertThat(s.reason()).isEqualTo("isolated: no peer answered for 1200ms");
        });
        assertThat(fencing.fenced()).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"fenced\"").contains("isolation_bound_ms");
    }

    /**
     * Seen in CI: the watch of a healthy primary stopped for a few seconds (SIGSTOP; a long GC pause or a stalled VM does
     * the same) found on resume that no peer had answered "for" seconds, its probes having been stopped too, and fenced.
     * A gap in the isolation ticks restarts the count; peers still silent a bound later fence as before.
     */
    @Test
    void aPauseOfTheWatchItselfIsNoEvidenceOfIsolation() {
        fencing.roleSeen(NodeRole.PRIMARY);
        fencing.isolationTick();
        now += Duration.ofSeconds(4).toNanos();
        peers.isolated = Duration.ofSeconds(4);

        fencing.check();

        assertThat(fence.fences).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"isolation_clock_restarted\"")
                .contains("\"paused_ms\":4000");
        for (int i = 0; i < 22; i++) { // 1.1 s of ticks with the peers still silent: under the bound since the resume
            now += Duration.ofMillis(50).toNanos();
            peers.isolated = peers.isolated.plusMillis(50);
            fencing.isolationTick();
        }
        assertThat(fence.fences).isEmpty();
        now += Duration.ofMillis(100).toNanos();
        peers.isolated = peers.isolated.plusMillis(100);
        fencing.isolationTick();
        assertThat(fence.fences).singleElement().satisfies(s -> assertThat(s.reason())
                .isEqualTo("isolated: no peer answered for 1200ms"));
    }

    /**
     * Seen on the lab (partition drills): a fenced node's look held the fence's lock while its restarting PostgreSQL
     * timed out connections, and each isolation tick that waited for it logged the process "paused" (every 1.25 s).
     * The gap counts to when the tick began: its wait for the lock is no pause.
     */
    @Test
    void aTickThatWaitedForTheLockIsNoPause() throws Exception {
        fencing.roleSeen(NodeRole.PRIMARY);
        fencing.isolationTick();
        Thread tick;
        synchronized (fencing) {
            now += Duration.ofMillis(50).toNanos();
            tick = new Thread(fencing::isolationTick);
            tick.start();
            while (tick.getState() != Thread.State.BLOCKED) {
                Thread.sleep(1);
            }
            now += Duration.ofSeconds(1).toNanos();
        }
        tick.join(5_000);

        assertThat(tick.isAlive()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("isolation_clock_restarted");
    }

    @Test
    void ticksOnTimeDoNotRestartTheCount() {
        fencing.roleSeen(NodeRole.PRIMARY);
        for (int i = 0; i <= 24; i++) {
            peers.isolated = Duration.ofMillis(50L * i);
            fencing.isolationTick();
            now += Duration.ofMillis(50).toNanos();
        }
        assertThat(fence.fences).singleElement().satisfies(s -> assertThat(s.reason())
                .isEqualTo("isolated: no peer answered for 1200ms"));
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("isolation_clock_restarted");
    }

    @Test
    void theIsolationDecisionDoesNotWaitForAWitnessQuestionThatHangs() throws Exception {
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        SelfFencing watching = new SelfFencing(peers, fence, () -> standing, (names, timeline) -> {
            asked.countDown();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }, BOUND, Duration.ofMillis(250), new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1",
                PromoteTimeline.NONE), () -> now);
        watching.roleSeen(NodeRole.PRIMARY);
        Thread look = new Thread(watching::check);
        look.start();
        try {
            assertThat(asked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            peers.isolated = Duration.ofMillis(1200);
            // On the test's thread while the full look still waits for the witness: before, both took one lock.
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), watching::checkIsolation);
            assertThat(fence.fences).singleElement().satisfies(s -> assertThat(s.kind()).isEqualTo(FenceState.Kind.ISOLATED));
        } finally {
            answer.countDown();
            look.join(10_000);
        }
    }

    @Test
    void whenTheLocalListCannotBeReadTheLastKnownOneDecidesSoTheFenceIsNeverLate() {
        peers.failNow = true;
        fencing.roleSeen(NodeRole.PRIMARY);
        peers.isolated = Duration.ofMillis(1200);
        fencing.checkIsolation();
        assertThat(fence.fences).as("the last known list names a standby downstream").hasSize(1);
    }

    @Test
    void aPromotionClaimedOnTheWitnessFencesThePrimaryAtOnceEvenWhileItsWalsenderStillSaysStreaming() {
        List<java.util.Collection<String>> asked = new ArrayList<>();
        SelfFencing watching = new SelfFencing(peers, fence, () -> standing, (names, timeline) -> {
            assertThat(timeline).isEqualTo(1L);
            asked.add(List.copyOf(names));
            return names.contains("n2") ? Optional.of(new ClaimedPromotion("n2", false)) : Optional.empty();
        }, BOUND, Duration.ofMillis(250), new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1",
                PromoteTimeline.NONE), () -> now);
        watching.roleSeen(NodeRole.PRIMARY);
        watching.check();
        assertThat(asked).as("the data peers, not the witness").containsExactly(List.of("n2"));
        // Not for good: the claim may yet be withdrawn (its repmgr standby promote refused on finding this node).
        assertThat(fence.fences).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(FenceState.Kind.ISOLATED);
            assertThat(s.reason()).contains("the promotion of n2 is claimed on the witness");
        });
    }

    /**
     * Seen on the lab under load (brief-freeze): the primary continued after a 2.7 s stall, the standby's repmgrd had
     * given up on it meanwhile and its hook claimed, found the primary answering and withdrew; the primary fenced itself
     * in between on the claim and stopped writes for 9 s. A claimant still replying to this node's walsender is in
     * recovery: the fence waits until it has not replied for the bound.
     */
    @Test
    void aClaimantStillReplyingToThisNodesWalsenderIsFencedForOnlyOnceItsRepliesStop() {
        AtomicBoolean claimStands = new AtomicBoolean(false);
        Replies replies = new Replies();
        SelfFencing watching = claimWatch(claimStands, replies);
        look(watching, replies, true);
        look(watching, replies, true);
        claimStands.set(true);
        look(watching, replies, true);
        assertThat(fence.fences).as("n2 replied 100 ms ago").isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"fence_deferred\"")
                .contains("n2 still replies to this node's walsender");
        for (int i = 0; i < 11; i++) { // its replies stop (promoted): 1100 ms, within the bound
            look(watching, replies, false);
        }
        assertThat(fence.fences).isEmpty();
        shortly();
        look(watching, replies, false);
        assertFencedForTheClaimOfN2();
    }

    @Test
    void aClaimWithdrawnWhileItsClaimantStillRepliesLeavesThePrimaryUnfenced() {
        AtomicBoolean claimStands = new AtomicBoolean(false);
        Replies replies = new Replies();
        SelfFencing watching = claimWatch(claimStands, replies);
        look(watching, replies, true);
        claimStands.set(true);
        look(watching, replies, true);
        claimStands.set(false);
        look(watching, replies, true);
        assertThat(fence.fences).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"claim_withdrawn\"");
    }

    /** pair-partition: the claim comes after repmgrd gave up on this node, so later than the bound after the cut. */
    @Test
    void aClaimMadeAcrossACutFindsTheClaimantSilentForLongerThanTheBoundAndFencesAtOnce() {
        AtomicBoolean claimStands = new AtomicBoolean(false);
        Replies replies = new Replies();
        SelfFencing watching = claimWatch(claimStands, replies);
        look(watching, replies, true);
        look(watching, replies, true); // the last reply before the cut
        for (int i = 0; i < 12; i++) {
            look(watching, replies, false);
        }
        claimStands.set(true);
        look(watching, replies, false);
        assertFencedForTheClaimOfN2();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("fence_deferred");
    }

    /** 100 ms later, the fence's look, after n2 replied to this node's walsender or not. */
    private void look(SelfFencing watching, Replies replies, boolean replied) {
        shortly();
        if (replied) {
            replies.reply();
        }
        watching.roleSeen(NodeRole.PRIMARY);
        watching.check();
    }

    private void assertFencedForTheClaimOfN2() {
        assertThat(fence.fences).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(FenceState.Kind.ISOLATED);
            assertThat(s.reason()).contains("the promotion of n2 is claimed on the witness");
        });
    }

    /** n2's reply_time as its walsender here reports it, by n2's own clock (an hour off: only its changes count). */
    private static final class Replies {
        private java.time.Instant last = java.time.Instant.parse("2026-12-07T13:00:00Z");

        void reply() {
            last = last.plusMillis(100);
        }

        Optional<java.util.Map<String, java.time.Instant>> read() {
            return Optional.of(java.util.Map.of("n2", last));
        }
    }

    private SelfFencing claimWatch(AtomicBoolean claimStands, Replies replies) {
        return new SelfFencing(peers, fence, () -> standing,
                (names, timeline) -> claimStands.get() ? Optional.of(new ClaimedPromotion("n2", false)) : Optional.empty(),
                new StandbyReplies(replies::read, () -> now, () -> {}), BOUND, Duration.ofMillis(250),
                new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1", PromoteTimeline.NONE), () -> now);
    }

    private void shortly() {
        now += Duration.ofMillis(100).toNanos();
    }

    @Test
    void aRecordedPromotionFencesForGoodAndAClaimedOneOnlyUntilTheClusterIsWholeAgain() {
        SelfFencing recorded = new SelfFencing(peers, fence, () -> standing,
                (names, timeline) -> Optional.of(new ClaimedPromotion("n2", true)), BOUND, Duration.ofMillis(250),
                new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1", PromoteTimeline.NONE), () -> now);
        recorded.roleSeen(NodeRole.PRIMARY);
        recorded.check();
        assertThat(fence.fences).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(FenceState.Kind.OUTRANKED);
            assertThat(s.reason()).contains("n2 (promotion recorded on the witness)");
        });
    }

    @Test
    void aFenceForAClaimedPromotionIsNotMadeForGoodByTheClaimButIsByThePromotionSeenDone() {
        fencing.roleSeen(NodeRole.PRIMARY);
        fencing.outranked(PeerPrimary.beingPromoted("n2", "n3"));
        assertThat(fence.fences).singleElement().extracting(FenceState::kind).isEqualTo(FenceState.Kind.ISOLATED);
        fencing.roleSeen(NodeRole.STANDBY); // restarted in recovery
        peers.isolated = Duration.ZERO;
        peers.reached.addAll(List.of(STANDBY, WITNESS));
        standing = new Standing.Outranked(PeerPrimary.beingPromoted("n2", "n3"));
        later();
        fencing.check();
        assertThat(fence.fences).as("still only claimed: no fence for good").hasSize(1);
        assertThat(fence.lifts).as("nor lifted while the claim stands").isZero();
        standing = new Standing.Outranked(new PeerPrimary("n2", "198.18.0.12", 5432, 2));
        later();
        fencing.check();
        assertThat(fence.fences).extracting(FenceState::kind)
                .containsExactly(FenceState.Kind.ISOLATED, FenceState.Kind.OUTRANKED);
    }

    @Test
    void aFenceForAClaimLiftsOnlyOnceTheClaimIsWithdrawnAndTheStandbyStreamsFromThisNodeAgain() {
        java.util.concurrent.atomic.AtomicBoolean claimStands = new java.util.concurrent.atomic.AtomicBoolean(true);
        SelfFencing watching = new SelfFencing(peers, fence, () -> standing,
                (names, timeline) -> claimStands.get() ? Optional.of(new ClaimedPromotion("n2", false)) : Optional.empty(),
                BOUND, Duration.ofMillis(250), new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1",
                PromoteTimeline.NONE), () -> now);
        watching.roleSeen(NodeRole.PRIMARY);
        watching.check();
        assertThat(fence.fences).singleElement().extracting(FenceState::kind).isEqualTo(FenceState.Kind.ISOLATED);
        watching.roleSeen(NodeRole.STANDBY);
        peers.isolated = Duration.ZERO;
        peers.reached.addAll(List.of(STANDBY, WITNESS));
        standing = new Standing.Sole("every active data peer streams from this node");
        later();
        watching.check();
        assertThat(fence.lifts).as("n2 streams from here but may be inside its promotion").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("fence_kept")
                .contains("the promotion of n2 is claimed on the witness");
        claimStands.set(false); // its repmgr standby promote refused and the hook withdrew the claim
        later();
        watching.check();
        assertThat(fence.lifts).isEqualTo(1);
        assertThat(watching.fenced()).isFalse();
    }

    @Test
    void aNewPrimaryWithNoStandbyThatCouldReplaceItIsNotFencedWhenTheWitnessGoes() {
        peers.list = List.of(REPLACED_OLD_PRIMARY, WITNESS);
        fencing.roleSeen(NodeRole.PRIMARY);
        peers.isolated = Duration.ofSeconds(30);
        fencing.check();
        assertThat(fence.fences).as("nobody can be promoted in its place: fencing would only stop the writes").isEmpty();
    }

    @Test
    void whetherAStandbyCouldReplaceItIsAskedAgainNotTakenFromTheListOfBeforeItsPromotion() {
        // The list of an old primary kept fenced in recovery, then rejoined and promoted within one refresh period:
        // its stale records named n2 its standby; the records now say n2 is the replaced primary.
        peers.list = List.of(STANDBY, WITNESS);
        peers.listedAgain = Optional.of(List.of(new Peer("n2", "primary", "198.18.0.12", 5432, false, false),
                WITNESS));
        fencing.roleSeen(NodeRole.PRIMARY);
        peers.isolated = Duration.ofSeconds(30);
        fencing.check();
        assertThat(fence.fences).isEmpty();
        peers.listedAgain = Optional.empty();
        fencing.check();
        assertThat(fence.fences).as("read at most once a probe period").isEmpty();
        later();
        fencing.check();
        assertThat(fence.fences).as("the list read again does name a standby downstream").hasSize(1);
    }

    @Test
    void aStandbyRegisteredDownstreamOfAnotherNodeCannotReplaceThisOne() {
        peers.list = List.of(new Peer("n1", "standby", "198.18.0.11", 5432, true, false), WITNESS);
        fencing.roleSeen(NodeRole.PRIMARY);
        peers.isolated = Duration.ofSeconds(30);
        fencing.check();
        assertThat(fence.fences).isEmpty();
    }

    @Test
    void aStandbyNeverFencesItself() {
        fencing.roleSeen(NodeRole.STANDBY);
        peers.isolated = Duration.ofSeconds(30);
        fencing.check();
        assertThat(fence.fences).isEmpty();
    }

    @Test
    void theIsolationFenceLiftsOnlyOnceEveryDataPeerIsReachedAndTheNodeIsProvablyTheOnlyPrimary() {
        fencing.roleSeen(NodeRole.PRIMARY);
        peers.isolated = Duration.ofSeconds(2);
        fencing.check();
        fencing.roleSeen(NodeRole.STANDBY); // the fence restarted it in recovery
        peers.isolated = Duration.ZERO;
        peers.reached.add(WITNESS);
        later();
        fencing.check();
        assertThat(fence.lifts).as("the witness alone answering: the standby may have been promoted").isZero();
        peers.reached.add(STANDBY);
        standing = new Standing.Unproven("n2 (a standby not streaming from here) may be promoted");
        later();
        fencing.check();
        assertThat(fence.lifts).as("not proven").isZero();
        standing = new Standing.Sole("every active data peer streams from this node");
        later();
        fencing.check();
        assertThat(fence.lifts).isEqualTo(1);
        assertThat(fencing.fenced()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("fence_lifted");
    }

    /** Fenced for isolation as the primary; then, in recovery, every peer answers and n2 is primary on timeline 2. */
    private void fencedForIsolationThenAnotherPrimaryAnswers() {
        fencing.roleSeen(NodeRole.PRIMARY);
        peers.isolated = Duration.ofSeconds(2);
        fencing.check();
        fencing.roleSeen(NodeRole.STANDBY);
        peers.isolated = Duration.ZERO;
        peers.reached.addAll(List.of(STANDBY, WITNESS));
        standing = new Standing.Outranked(new PeerPrimary("n2", "198.18.0.12", 5432, 2));
    }

    @Test
    void anIsolationFenceBecomesAFenceForGoodWhenAnotherPrimaryIsFound() {
        fencedForIsolationThenAnotherPrimaryAnswers();
        later();
        fencing.check();
        assertThat(fence.fences).extracting(FenceState::kind)
                .containsExactly(FenceState.Kind.ISOLATED, FenceState.Kind.OUTRANKED);
        assertThat(fence.lifts).isZero();
    }

    /**
     * Seen in the drill: a partitioned old primary's isolation fence was upgraded to "outranked" from a look taken
     * while {@code pgflip rejoin} made it a standby; the record written after the rejoin had cleared its own barred the
     * standby's next promotion. The fence of a node in recovery records only over a record that still stands
     * ({@link RecoveryFence}), and the watch then forgets the fence instead of holding it.
     */
    @Test
    void anIsolationFenceFoundOutrankedAfterARejoinClearedItIsNotRecordedAgain() {
        fence.recordsOnlyOverARecord = true;
        fencedForIsolationThenAnotherPrimaryAnswers();
        SelfFencing racing = new SelfFencing(peers, fence, () -> {
            fence.state = Optional.empty(); // pgflip rejoin cleared the record while the cluster was asked
            return standing;
        }, BOUND, Duration.ofMillis(250), new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1",
                PromoteTimeline.NONE), () -> now);
        fence.state = Optional.of(fence.fences.get(0));
        later();
        racing.check();
        assertThat(fence.fences).extracting(FenceState::kind).containsExactly(FenceState.Kind.ISOLATED);
        assertThat(fence.state).as("no record bars the rejoined standby's promotion").isEmpty();
        assertThat(racing.fenced()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"fence_not_recorded\"");
    }

    @Test
    void beingOutrankedFencesForGood() {
        fencing.roleSeen(NodeRole.PRIMARY);
        fencing.outranked(new PeerPrimary("n2", "198.18.0.12", 5432, 3));
        peers.isolated = Duration.ZERO;
        peers.reached.add(STANDBY);
        fencing.check();
        fencing.outranked(new PeerPrimary("n2", "198.18.0.12", 5432, 3));
        assertThat(fence.fences).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(FenceState.Kind.OUTRANKED);
            assertThat(s.reason()).contains("n2 is primary on timeline 3").contains("pgflip rejoin");
        });
        assertThat(fence.lifts).isZero();
    }

    @Test
    void aPromotionRecordedOnTheWitnessFencesForGoodToo() {
        fencing.roleSeen(NodeRole.PRIMARY);
        fencing.outranked(PeerPrimary.promotedPerWitness("n2", "n3", 4));
        assertThat(fence.fences).singleElement().satisfies(s ->
                assertThat(s.reason()).contains("n2 (promotion recorded on the witness n3) is primary on timeline 4"));
    }

    @Test
    void aFenceLiftedByARejoinInAnotherProcessIsForgottenAtTheNextLook() {
        fencing.roleSeen(NodeRole.PRIMARY);
        fencing.outranked(new PeerPrimary("n2", "198.18.0.12", 5432, 3));
        assertThat(fencing.fenced()).isTrue();
        fence.state = Optional.empty(); // pgflip rejoin removed the record
        fencing.check();
        assertThat(fencing.fenced()).as("the watcher may move the IP for a later promotion").isFalse();
        peers.isolated = Duration.ofSeconds(2);
        fencing.check();
        assertThat(fence.fences).as("and fence it again when it is cut off")
                .extracting(FenceState::kind).containsExactly(FenceState.Kind.OUTRANKED, FenceState.Kind.ISOLATED);
    }

    @Test
    void aRecordWrittenOnAnOlderTimelineIsDiscardedOnceTheNodeIsOnANewerOne() {
        fence.state = FenceState.parse("outranked: n2 is primary on timeline 4\ntimeline=3\n");
        fence.timeline = OptionalLong.of(3);
        fencing.roleSeen(NodeRole.PRIMARY);
        fencing.check();
        assertThat(fencing.fenced()).as("same timeline: the record speaks of this node").isTrue();
        fence.timeline = OptionalLong.of(5); // rebuilt from the new primary by hand, then promoted
        fencing.check();
        assertThat(fencing.fenced()).isFalse();
        assertThat(fence.discards).isEqualTo(1);
        assertThat(fence.lifts).as("a discard never promotes").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("fence_discarded");
    }

    @Test
    void aRecordOnTheNewerTimelineOfAPromotionNotYetCheckpointedIsKept() {
        fence.state = FenceState.parse("outranked: n1 is primary on timeline 3\ntimeline=2\n");
        fence.timeline = OptionalLong.of(1); // in recovery, its last checkpoint predates the promotion
        fencing.roleSeen(NodeRole.STANDBY);
        fencing.check();
        assertThat(fencing.fenced()).isTrue();
        assertThat(fence.discards).isZero();
    }

    @Test
    void aFailedLocalCheckIsNoProofOfAnotherPrimary() {
        fencing.roleSeen(NodeRole.PRIMARY);
        fencing.outranked(PeerPrimary.unconfirmed("local check failed: timeout", "198.18.0.11", 5432));
        assertThat(fence.fences).isEmpty();
        assertThat(fencing.fenced()).isFalse();
    }

    @Test
    void aFenceLeftByAnEarlierRunIsFoundAndKept() {
        fence.state = FenceState.parse("outranked: n2 is primary on timeline 4");
        fencing.roleSeen(NodeRole.PRIMARY);
        fencing.check();
        assertThat(fencing.fenced()).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("fence_found");
    }

    private static final class FakePeers implements PeerView {
        Duration isolated = Duration.ZERO;
        final Set<Peer> reached = new HashSet<>();
        List<Peer> list = List.of(STANDBY, WITNESS);
        Optional<List<Peer>> listedAgain = Optional.empty();

        @Override
        public List<Peer> peers() {
            return list;
        }

        boolean failNow;

        @Override
        public List<Peer> peersNow() {
            if (failNow) {
                throw new IllegalStateException("cannot read repmgr.nodes on this node: connection refused");
            }
            return listedAgain.orElse(list);
        }

        @Override
        public Duration isolatedFor() {
            return isolated;
        }

        @Override
        public boolean recentlyReached(Peer peer, Duration within) {
            return reached.contains(peer);
        }
    }

    private static final class FakeFence implements NodeFence {
        Optional<FenceState> state = Optional.empty();
        OptionalLong timeline = OptionalLong.of(1);
        final List<FenceState> fences = new ArrayList<>();
        int lifts;
        int discards;

        @Override
        public Optional<FenceState> current() {
            return state;
        }

        /** As {@link RecoveryFence} on a node in recovery: a record is written only over one that stands. */
        boolean recordsOnlyOverARecord;

        @Override
        public void fence(FenceState s, Runnable writesRefused) {
            if (recordsOnlyOverARecord && state.isEmpty() && !fences.isEmpty()) {
                return;
            }
            writesRefused.run();
            fences.add(s);
            state = Optional.of(s);
        }

        @Override
        public void lift() {
            lifts++;
            state = Optional.empty();
        }

        @Override
        public void discard() {
            discards++;
            state = Optional.empty();
        }

        @Override
        public OptionalLong localTimeline() {
            return timeline;
        }
    }
}
