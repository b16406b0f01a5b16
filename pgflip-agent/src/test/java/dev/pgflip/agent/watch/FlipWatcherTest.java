package dev.pgflip.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.node.PeerPrimary;
import dev.pgflip.agent.node.Standing;
import dev.pgflip.agent.node.WatchLog;
import dev.pgflip.agent.promote.FlipTarget;
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
    private Standing standing = new Standing.Sole("every active data peer streams from this node");

    private FlipWatcher watcher() {
        WatchLog log = new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n2", PromoteTimeline.NONE);
        return new FlipWatcher("n2", () -> roles.isEmpty() ? NodeRole.PRIMARY : roles.poll(), new FlipTarget(SELF, provider),
                () -> standing, log, Duration.ofSeconds(5), Duration.ofSeconds(20), clock::get);
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
        standing = new Standing.Outranked(new PeerPrimary("n1", "198.18.0.11", 5432, 99));
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
    void aFencedPrimaryNeverTakesTheIp() {
        provider.holder = 101;
        var fence = new dev.pgflip.agent.fence.NodeFence() {
            @Override
            public Optional<dev.pgflip.agent.node.FenceState> current() {
                return dev.pgflip.agent.node.FenceState.parse("isolated: no peer answered for 1200ms");
            }

            @Override
            public void fence(dev.pgflip.agent.node.FenceState state, Runnable writesRefused) {}

            @Override
            public void lift() {}

            @Override
            public void discard() {}

            @Override
            public OptionalLong localTimeline() {
                return OptionalLong.of(1);
            }
        };
        WatchLog log = new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n2", PromoteTimeline.NONE);
        var fencing = new dev.pgflip.agent.fence.SelfFencing(new dev.pgflip.agent.fence.PeerView() {
            @Override
            public List<dev.pgflip.agent.fence.Peer> peers() {
                return List.of();
            }

            @Override
            public List<dev.pgflip.agent.fence.Peer> peersNow() {
                return List.of();
            }

            @Override
            public Duration isolatedFor() {
                return Duration.ZERO;
            }

            @Override
            public boolean recentlyReached(dev.pgflip.agent.fence.Peer peer, Duration within) {
                return true;
            }
        }, fence, () -> standing, Duration.ofMillis(1150), Duration.ofMillis(250), log, clock::get);
        FlipWatcher w = new FlipWatcher("n2", () -> NodeRole.PRIMARY, new FlipTarget(SELF, provider), () -> standing,
                log, Duration.ofSeconds(5), Duration.ofSeconds(20), clock::get, Optional.of(fencing));
        w.tick();
        assertThat(provider.calls).as("a fenced node refuses writes: the IP there would be an outage").isEmpty();
    }

    @Test
    void anUnprovenPrimaryWithholdsTheIpAndSaysWhyOnce() {
        provider.holder = 101;
        standing = new Standing.Unproven("n1 (unreachable: timeout) may be promoted and the witness does not answer");
        FlipWatcher w = watcher();
        w.tick();
        clock.addAndGet(Duration.ofSeconds(6).toNanos());
        w.tick();
        assertThat(provider.calls).as("not even a status call: nothing it learns would allow a move").isEmpty();
        String log = out.toString(StandardCharsets.UTF_8);
        assertThat(log.split("flip_withheld", -1)).hasSize(2);
        assertThat(log).contains("cannot prove it is the only primary").contains("witness does not answer");
    }

    @Test
    void aPrimaryHoldingTheIpIsStillJudgedAtEveryReconcile() {
        provider.holder = 102;
        FlipWatcher w = watcher();
        w.tick();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("flip_refused");
        standing = new Standing.Outranked(PeerPrimary.beingPromoted("n1", "n3"));
        clock.addAndGet(Duration.ofSeconds(6).toNanos());
        w.tick();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("flip_refused")
                .contains("n1 (promotion claimed on the witness n3) is primary on a newer timeline");
        assertThat(provider.calls).containsExactly("status");
    }

    @Test
    void aPrimaryOutrankedByANewerTimelineRefusesAndSaysSoOnce() {
        provider.holder = 101;
        standing = new Standing.Outranked(new PeerPrimary("n1", "198.18.0.11", 5432, 3));
        FlipWatcher w = watcher();
        w.tick();
        clock.addAndGet(Duration.ofSeconds(6).toNanos());
        w.tick();
        assertThat(provider.calls).as("refused before any API call").isEmpty();
        String log = out.toString(StandardCharsets.UTF_8);
        assertThat(log.split("flip_refused", -1)).hasSize(2);
        assertThat(log).contains("n1 is primary on timeline 3");
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
