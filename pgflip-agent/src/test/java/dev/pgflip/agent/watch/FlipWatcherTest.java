package dev.pgflip.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.promote.FlipTarget;
import dev.pgflip.agent.promote.NodeRole;
import dev.pgflip.agent.provider.AssignResult;
import dev.pgflip.agent.provider.FlipException;
import dev.pgflip.agent.provider.FlipProvider;
import dev.pgflip.agent.provider.FlipStatus;
import dev.pgflip.agent.provider.NodeIdentity;
import dev.pgflip.agent.time.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FlipWatcherTest {
    private static final NodeIdentity SELF = new NodeIdentity("n2", OptionalLong.of(102));

    private final Deque<NodeRole> roles = new ArrayDeque<>();
    private final FakeProvider provider = new FakeProvider();
    private final AtomicLong clock = new AtomicLong();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Optional<PeerPrimary> outranking = Optional.empty();

    private FlipWatcher watcher() {
        WatchLog log = new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n2", PromoteTimeline.NONE);
        return new FlipWatcher("n2", () -> roles.isEmpty() ? NodeRole.PRIMARY : roles.poll(), new FlipTarget(SELF, provider),
                () -> outranking, log, Duration.ofSeconds(5), Duration.ofSeconds(20), clock::get);
    }

    @Test
    void aStandbyNeverCallsTheApi() {
        FlipWatcher w = watcher();
        for (int i = 0; i < 10; i++) {
            roles.add(NodeRole.STANDBY);
            w.tick();
        }
        assertThat(provider.calls).isEmpty();
    }

    @Test
    void turningPrimaryMovesTheIpAtOnceWithoutAskingTheGuard() {
        FlipWatcher w = watcher();
        roles.add(NodeRole.STANDBY);
        w.tick();
        outranking = Optional.of(new PeerPrimary("n1", "198.18.0.11", 5432, 99));
        roles.add(NodeRole.PRIMARY);
        w.tick();
        assertThat(provider.calls).containsExactly("assign");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"event\":\"flip_assigned\"").contains("\"reason\":\"promoted\"");
    }

    @Test
    void aPrimaryReconcilesOnlyOncePerPeriodAndLeavesAnIpItHolds() {
        provider.holder = 102;
        FlipWatcher w = watcher();
        w.tick();
        w.tick();
        clock.addAndGet(Duration.ofSeconds(4).toNanos());
        w.tick();
        assertThat(provider.calls).containsExactly("status");
        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        w.tick();
        assertThat(provider.calls).containsExactly("status", "status");
    }

    @Test
    void aPrimaryTakesBackAnIpPointingElsewhereWhenNobodyOutranksIt() {
        provider.holder = 101;
        watcher().tick();
        assertThat(provider.calls).containsExactly("status", "assign");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"reason\":\"reconcile\"");
    }

    @Test
    void aFencedPrimaryNeverTakesTheIpAndLearnsWhenItWasReplaced() {
        provider.holder = 101;
        var peers = new dev.pgflip.agent.fence.PeerView() {
            Duration isolated = Duration.ofSeconds(3);

            @Override
            public List<dev.pgflip.agent.fence.Peer> peers() {
                return List.of(new dev.pgflip.agent.fence.Peer("n1", "standby", "198.18.0.11", 5432));
            }

            @Override
            public Duration isolatedFor() {
                return isolated;
            }

            @Override
            public boolean recentlyReached(dev.pgflip.agent.fence.Peer peer, Duration within) {
                return isolated.isZero();
            }
        };
        List<String> fences = new ArrayList<>();
        var fence = new dev.pgflip.agent.fence.NodeFence() {
            @Override
            public Optional<dev.pgflip.agent.fence.FenceState> current() {
                return Optional.empty();
            }

            @Override
            public void fence(dev.pgflip.agent.fence.FenceState state) {
                fences.add(state.kind().name());
            }

            @Override
            public void lift() {
                fences.add("lifted");
            }
        };
        WatchLog log = new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n2", PromoteTimeline.NONE);
        var fencing = new dev.pgflip.agent.fence.SelfFencing(peers, fence, () -> false, Duration.ofMillis(1150),
                Duration.ofMillis(250), log);
        FlipWatcher w = new FlipWatcher("n2", () -> NodeRole.PRIMARY, new FlipTarget(SELF, provider), () -> outranking,
                log, Duration.ofSeconds(5), Duration.ofSeconds(20), clock::get, Optional.empty(), Optional.of(fencing));
        w.tick();
        assertThat(provider.calls).as("cut off from every peer: the guard's silence proves nothing").isEmpty();
        fencing.check();
        assertThat(fences).containsExactly("ISOLATED");
        peers.isolated = Duration.ZERO;
        outranking = Optional.of(new PeerPrimary("n1", "198.18.0.11", 5432, 4));
        clock.addAndGet(Duration.ofSeconds(6).toNanos());
        w.tick();
        assertThat(fences).as("the partition healed and showed a newer primary").containsExactly("ISOLATED", "OUTRANKED");
        assertThat(provider.calls).isEmpty();
    }

    @Test
    void aPrimaryOutrankedByANewerTimelineRefusesAndSaysSoOnce() {
        provider.holder = 101;
        outranking = Optional.of(new PeerPrimary("n1", "198.18.0.11", 5432, 3));
        FlipWatcher w = watcher();
        w.tick();
        clock.addAndGet(Duration.ofSeconds(6).toNanos());
        w.tick();
        assertThat(provider.calls).containsExactly("status", "status");
        String log = out.toString(StandardCharsets.UTF_8);
        assertThat(log.split("flip_refused", -1)).hasSize(2);
        assertThat(log).contains("n1 is primary on timeline 3");
    }

    @Test
    void afterAPromotionTheDegradeRunsBesideTheMoveAndIsDoneWhenTheTickEnds() throws Exception {
        java.util.concurrent.CountDownLatch moveStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean degradeSawTheMove = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<String> names = new java.util.concurrent.atomic.AtomicReference<>("ANY 1 (n1, n2)");
        PrimarySettings settings = new PrimarySettings() {
            @Override
            public ReplicationState read() {
                return new ReplicationState(names.get(), 0);
            }

            @Override
            public void setSynchronousStandbyNames(String value) {
                try {
                    // Only returns once the assign has started: proves the move does not wait for the degrade.
                    degradeSawTheMove.set(moveStarted.await(10, java.util.concurrent.TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                names.set(value);
            }
        };
        provider.onAssign = moveStarted::countDown;
        WatchLog log = new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n2", PromoteTimeline.NONE);
        var keeper = new SynchronousReplicationKeeper(
                new dev.pgflip.agent.config.ReplicationConfig("ANY 1 (n1, n2)", Duration.ofSeconds(1)), settings, log);
        FlipWatcher w = new FlipWatcher("n2", () -> roles.isEmpty() ? NodeRole.PRIMARY : roles.poll(),
                new FlipTarget(SELF, provider), () -> outranking, log, Duration.ofSeconds(5), Duration.ofSeconds(20),
                clock::get, Optional.of(keeper));
        roles.add(NodeRole.STANDBY);
        w.tick();
        roles.add(NodeRole.PRIMARY);
        w.tick();

        assertThat(provider.calls).containsExactly("assign");
        assertThat(degradeSawTheMove).isTrue();
        assertThat(names.get()).as("degraded before the tick returned").isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("sync_degraded").contains("flip_assigned");
    }

    @Test
    void anApiFailureIsLoggedAndTheWatcherCarriesOn() {
        provider.failAssign = true;
        provider.holder = 101;
        FlipWatcher w = watcher();
        w.tick();
        clock.addAndGet(Duration.ofSeconds(6).toNanos());
        provider.failAssign = false;
        w.tick();
        assertThat(provider.calls).containsExactly("status", "assign", "status", "assign");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("flip_error").contains("flip_assigned");
    }

    private static final class FakeProvider implements FlipProvider {
        final List<String> calls = new ArrayList<>();
        long holder = -1;
        boolean failAssign;
        Runnable onAssign = () -> {};

        @Override
        public FlipStatus status() {
            calls.add("status");
            return new FlipStatus("198.18.0.100", holder < 0 ? OptionalLong.empty() : OptionalLong.of(holder),
                    Optional.empty(), false, Optional.empty(), Optional.empty());
        }

        @Override
        public AssignResult assign(NodeIdentity target, Deadline deadline) {
            calls.add("assign");
            onAssign.run();
            if (failAssign) {
                throw new FlipException("API down");
            }
            holder = target.dropletId().getAsLong();
            return AssignResult.moved("198.18.0.100", target, Duration.ofMillis(300));
        }

        @Override
        public void unassign(Deadline deadline) {
            calls.add("unassign");
        }
    }
}
