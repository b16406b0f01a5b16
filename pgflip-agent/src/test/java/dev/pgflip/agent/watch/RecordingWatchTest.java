package dev.pgflip.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.node.FlipCheck;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.node.PeerPrimary;
import dev.pgflip.agent.node.Standing;
import dev.pgflip.agent.node.SyncState;
import dev.pgflip.agent.node.WatchLog;
import dev.pgflip.agent.node.WatchRecorder;
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
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the watcher and the keeper's recording decorators tell a {@link WatchRecorder}. */
class RecordingWatchTest {
    private static final NodeIdentity SELF = new NodeIdentity("n2", OptionalLong.of(102));

    private final Deque<NodeRole> roles = new ArrayDeque<>();
    private final List<String> told = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final WatchLog log = new WatchLog(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), "n2", PromoteTimeline.NONE);
    private final WatchRecorder recorder = new WatchRecorder() {
        @Override
        public void roleSeen(NodeRole role) {
            told.add("role " + role);
        }

        @Override
        public void promoted() {
            told.add("promoted");
        }

        @Override
        public void flipChecked(FlipCheck check) {
            told.add("flip " + check);
        }

        @Override
        public void fenceSeen(Optional<FenceState.Kind> fence) {
            told.add("fence " + fence.map(Enum::name).orElse("none"));
        }

        @Override
        public void syncSeen(SyncState state) {
            told.add("sync " + state);
        }

        @Override
        public void possibleDataLoss() {
            told.add("possible data loss");
        }
    };
    private long holder = -1;
    private boolean failAssign;
    private Standing standing = new Standing.Sole("every active data peer streams from this node");

    private final FlipProvider provider = new FlipProvider() {
        @Override
        public FlipStatus status() {
            return new FlipStatus("198.18.0.100", holder < 0 ? OptionalLong.empty() : OptionalLong.of(holder),
                    Optional.empty(), false, Optional.empty(), Optional.empty());
        }

        @Override
        public AssignResult assign(NodeIdentity target, Deadline deadline) {
            if (failAssign) {
                throw new FlipException("API down");
            }
            holder = target.dropletId().getAsLong();
            return AssignResult.moved("198.18.0.100", target, Duration.ofMillis(300));
        }

        @Override
        public void unassign(Deadline deadline) {}
    };

    private FlipWatcher watcher() {
        return new FlipWatcher("n2", () -> roles.isEmpty() ? NodeRole.PRIMARY : roles.poll(),
                new FlipTarget(SELF, provider), () -> standing, log, Duration.ofSeconds(5), Duration.ofSeconds(20),
                clock::get, Optional.empty(), recorder);
    }

    @Test
    void aStandbyTellsItsRoleAtEveryLookAndNothingOfTheIp() {
        FlipWatcher w = watcher();
        roles.add(NodeRole.STANDBY);
        roles.add(NodeRole.UNREACHABLE);
        w.tick();
        w.tick();
        assertThat(told).containsExactly("role STANDBY", "role UNREACHABLE");
    }

    @Test
    void aPromotionIsCountedOnceAndItsAssignReportedHeld() {
        holder = 101;
        FlipWatcher w = watcher();
        roles.add(NodeRole.STANDBY);
        w.tick();
        w.tick();
        w.tick();
        assertThat(told).containsExactly("role STANDBY", "role PRIMARY", "promoted", "flip HELD", "role PRIMARY");
    }

    @Test
    void aPrimaryReportsHowEachReconcileEnded() {
        holder = 102;
        FlipWatcher w = watcher();
        w.tick();
        holder = 101;
        failAssign = true;
        reconcileAgain(w);
        standing = new Standing.Unproven("the witness does not answer");
        reconcileAgain(w);
        standing = new Standing.Outranked(new PeerPrimary("n1", "198.18.0.11", 5432, 9));
        reconcileAgain(w);
        assertThat(told.stream().filter(t -> t.startsWith("flip")))
                .containsExactly("flip HELD", "flip ELSEWHERE", "flip WITHHELD", "flip REFUSED");
    }

    @Test
    void aGuardThatFailsIsReportedAsAFailedReconcile() {
        standing = null;
        FlipWatcher w = new FlipWatcher("n2", () -> NodeRole.PRIMARY, new FlipTarget(SELF, provider), () -> {
            throw new IllegalStateException("witness down");
        }, log, Duration.ofSeconds(5), Duration.ofSeconds(20), clock::get, Optional.empty(), recorder);
        w.tick();
        assertThat(told).containsExactly("role PRIMARY", "flip FAILED");
    }

    private void reconcileAgain(FlipWatcher w) {
        clock.addAndGet(Duration.ofSeconds(6).toNanos());
        w.tick();
    }

    @Test
    void theKeepersSettingsTellTheSynchronousStateReadAndSet() {
        List<ReplicationState> reads = new ArrayList<>(List.of(
                new ReplicationState(false, "ANY 1 (n1, n2)", List.of(), 1, 1),
                new ReplicationState(false, "", List.of(), 1, 1),
                new ReplicationState(true, "", List.of(), 0, 0)));
        PrimarySettings settings = new RecordingPrimarySettings(new PrimarySettings() {
            @Override
            public ReplicationState read() {
                return reads.remove(0);
            }

            @Override
            public void setSynchronousStandbyNames(String value) {}
        }, recorder);
        settings.read();
        settings.setSynchronousStandbyNames("");
        settings.read();
        settings.setSynchronousStandbyNames("ANY 1 (n1, n2)");
        settings.read();
        assertThat(told).containsExactly("sync SYNC", "sync ASYNC", "sync ASYNC", "sync SYNC", "sync NONE");
    }

    @Test
    void theLedgerTellsAPromotionTheWitnessHeldIneligibleAndOnlyThat() {
        List<OptionalLong> answers = new ArrayList<>(List.of(OptionalLong.empty(), OptionalLong.of(0x3000060)));
        PromotionLedger ledger = new RecordingPromotionLedger(new PromotionLedger() {
            @Override
            public List<String> markIneligible(Collection<String> standbys, String reason, long primaryLsn) {
                return List.of();
            }

            @Override
            public void markEligible(String standby, String reason) {}

            @Override
            public OptionalLong recordPromotion(long timeline) {
                return answers.remove(0);
            }

            @Override
            public boolean completeOwnClaim(long timeline) {
                return timeline == 4;
            }

            @Override
            public List<String> otherDataNodes() {
                return List.of("n1");
            }
        }, recorder);
        assertThat(ledger.recordPromotion(2)).isEmpty();
        assertThat(told).isEmpty();
        assertThat(ledger.recordPromotion(3)).hasValue(0x3000060);
        assertThat(told).containsExactly("possible data loss");
        assertThat(ledger.otherDataNodes()).containsExactly("n1");
        assertThat(ledger.completeOwnClaim(4)).as("passed through, nothing told").isTrue();
        assertThat(told).containsExactly("possible data loss");
    }
}
