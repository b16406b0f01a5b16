package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.promote.NodeRole;
import dev.pgflip.agent.watch.PeerPrimary;
import dev.pgflip.agent.watch.WatchLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelfFencingTest {
    private static final Duration BOUND = Duration.ofMillis(1150);
    private static final Peer STANDBY = new Peer("n2", "standby", "198.18.0.12", 5432);
    private static final Peer WITNESS = new Peer("n3", "witness", "198.18.0.13", 5432);

    private final FakePeers peers = new FakePeers();
    private final FakeFence fence = new FakeFence();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean peersAreStandbys = true;
    private final SelfFencing fencing = new SelfFencing(peers, fence, () -> peersAreStandbys, BOUND,
            Duration.ofMillis(250), new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1",
            PromoteTimeline.NONE));

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

    @Test
    void aStandbyNeverFencesItself() {
        fencing.roleSeen(NodeRole.STANDBY);
        peers.isolated = Duration.ofSeconds(30);
        fencing.check();
        assertThat(fence.fences).isEmpty();
    }

    @Test
    void theIsolationFenceLiftsOnlyWhenEveryDataPeerAnswersAsAStandby() {
        fencing.roleSeen(NodeRole.PRIMARY);
        peers.isolated = Duration.ofSeconds(2);
        fencing.check();
        peers.isolated = Duration.ZERO;
        peers.reached.add(WITNESS);
        fencing.check();
        assertThat(fence.lifts).as("the witness alone cannot vouch: the standby may have been promoted").isZero();
        peers.reached.add(STANDBY);
        peersAreStandbys = false;
        fencing.check();
        assertThat(fence.lifts).as("a peer that is primary now").isZero();
        peersAreStandbys = true;
        fencing.check();
        assertThat(fence.lifts).isEqualTo(1);
        assertThat(fencing.fenced()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("fence_lifted");
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
    void aFenceLiftedByARejoinInAnotherProcessIsForgottenOnceTheNodeIsAStandby() {
        fencing.roleSeen(NodeRole.PRIMARY);
        fencing.outranked(new PeerPrimary("n2", "198.18.0.12", 5432, 3));
        assertThat(fencing.fenced()).isTrue();
        fencing.roleSeen(NodeRole.STANDBY);
        fence.state = Optional.empty(); // pgflip rejoin removed the record
        fencing.roleSeen(NodeRole.PRIMARY); // promoted again later
        assertThat(fencing.fenced()).as("the watcher may move the IP for this promotion").isFalse();
        peers.isolated = Duration.ofSeconds(2);
        fencing.check();
        assertThat(fence.fences).as("and fence it again when it is cut off")
                .extracting(FenceState::kind).containsExactly(FenceState.Kind.OUTRANKED, FenceState.Kind.ISOLATED);
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

    @Test
    void inTouchMeansAPeerAnsweredWithinTwoProbePeriods() {
        peers.isolated = Duration.ofMillis(400);
        assertThat(fencing.inTouch()).isTrue();
        peers.isolated = Duration.ofMillis(600);
        assertThat(fencing.inTouch()).isFalse();
    }

    private static final class FakePeers implements PeerView {
        Duration isolated = Duration.ZERO;
        final Set<Peer> reached = new HashSet<>();

        @Override
        public List<Peer> peers() {
            return List.of(STANDBY, WITNESS);
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
        final List<FenceState> fences = new ArrayList<>();
        int lifts;

        @Override
        public Optional<FenceState> current() {
            return state;
        }

        @Override
        public void fence(FenceState s) {
            fences.add(s);
            state = Optional.of(s);
        }

        @Override
        public void lift() {
            lifts++;
            state = Optional.empty();
        }
    }
}
