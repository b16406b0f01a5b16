package dev.pgflip.agent.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.provider.AssignResult;
import dev.pgflip.agent.provider.FlipException;
import dev.pgflip.agent.provider.FlipProvider;
import dev.pgflip.agent.provider.FlipStatus;
import dev.pgflip.agent.provider.NodeIdentity;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PromoteOrchestratorTest {
    static final NodeIdentity N2 = new NodeIdentity("n2", OptionalLong.of(1002));

    /** Answers STANDBY until {@code primaryAfter} has passed. */
    static NodeRoleProbe becomesPrimaryAfter(Duration primaryAfter) {
        long start = System.nanoTime();
        return () -> System.nanoTime() - start >= primaryAfter.toNanos() ? NodeRole.PRIMARY : NodeRole.STANDBY;
    }

    /** Records when it was asked to assign. */
    static final class RecordingProvider implements FlipProvider {
        final AtomicLong assignedAtNanos = new AtomicLong();
        final AtomicInteger assigns = new AtomicInteger();
        RuntimeException failure;

        @Override
        public FlipStatus status() {
            return FlipStatus.unknown("198.18.0.100");
        }

        @Override
        public AssignResult assign(NodeIdentity target, Deadline deadline) {
            assigns.incrementAndGet();
            assignedAtNanos.set(System.nanoTime());
            if (failure != null) {
                throw failure;
            }
            return AssignResult.moved("198.18.0.100", target, deadline.elapsed());
        }

        @Override
        public void unassign(Deadline deadline) {}
    }

    final RecordingProvider provider = new RecordingProvider();
    final PromoteOrchestrator orchestrator = new PromoteOrchestrator(provider, N2, new ProcessRunner(), Sleeper.SYSTEM);

    @Test
    void movesTheIpAsSoonAsTheNodeIsWritableNotWhenPromoteReturns() {
        long start = System.nanoTime();

        PromoteReport r = orchestrator.promoteAndFlip(List.of("/bin/sh", "-c", "sleep 1"),
                becomesPrimaryAfter(Duration.ofMillis(300)), Deadline.after(Duration.ofSeconds(10)));

        long assignedAfterMs = (provider.assignedAtNanos.get() - start) / 1_000_000;
        assertThat(assignedAfterMs).isBetween(250L, 800L);
        assertThat(r.nodeWritableAfter().get()).isBetween(Duration.ofMillis(250), Duration.ofMillis(800));
        assertThat(r.promoteExitCode()).hasValue(0);
        assertThat(r.total()).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void promoteCommandFailingWhileStandbyIsExitCode1AndTheIpStays() {
        assertThatThrownBy(() -> orchestrator.promoteAndFlip(List.of("/bin/sh", "-c", "exit 3"),
                () -> NodeRole.STANDBY, Deadline.after(Duration.ofSeconds(5))))
                .isInstanceOf(PromoteFailedException.class)
                .hasMessageContaining("promote.command exited with 3")
                .hasMessageContaining("still a standby")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.PROMOTE_FAILED));
        assertThat(provider.assigns).hasValue(0);
    }

    @Test
    void nodeNeverPrimaryGivesUpAtTheDeadline() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> orchestrator.promoteAndFlip(List.of("/bin/sh", "-c", "sleep 2"),
                () -> NodeRole.UNREACHABLE, Deadline.after(Duration.ofMillis(500))))
                .isInstanceOf(PromoteFailedException.class)
                .hasMessageContaining("did not become primary within 500ms")
                .hasMessageContaining("not answering");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1500);
    }

    @Test
    void missingPromoteProgramIsAPromoteFailure() {
        assertThatThrownBy(() -> orchestrator.promoteAndFlip(List.of("/nonexistent/repmgr"),
                () -> NodeRole.STANDBY, Deadline.after(Duration.ofSeconds(1))))
                .isInstanceOf(PromoteFailedException.class)
                .hasMessageContaining("cannot start promote.command /nonexistent/repmgr");
    }

    @Test
    void flipFailureAfterPromotionTellsHowToFixItByHand() {
        provider.failure = new FlipException("could not move floating IP 198.18.0.100 to droplet 1002 in time");
        assertThatThrownBy(() -> orchestrator.promoteAndFlip(List.of("/bin/true"),
                becomesPrimaryAfter(Duration.ZERO), Deadline.after(Duration.ofSeconds(5))))
                .isInstanceOf(FlipException.class)
                .hasMessageContaining("pgflip flip assign 1002");
    }

    @Test
    void promoteExitingNonZeroAfterTheNodeIsPrimaryStillSucceeds() {
        PromoteReport r = orchestrator.promoteAndFlip(List.of("/bin/sh", "-c", "sleep 0.3; exit 5"),
                becomesPrimaryAfter(Duration.ofMillis(100)), Deadline.after(Duration.ofSeconds(5)));
        assertThat(r.promoteExitCode()).hasValue(5);
    }

    @Test
    void flipOnlyDoesNotNeedAProbe() {
        PromoteReport r = orchestrator.flipOnly(Deadline.after(Duration.ofSeconds(1)));
        assertThat(r.nodeWritableAfter()).isEmpty();
        assertThat(provider.assigns).hasValue(1);
    }
}
