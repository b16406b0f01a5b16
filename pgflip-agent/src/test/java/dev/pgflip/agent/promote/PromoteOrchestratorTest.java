package dev.pgflip.agent.promote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.provider.AssignResult;
import dev.pgflip.agent.provider.FlipException;
import dev.pgflip.agent.provider.FlipProvider;
import dev.pgflip.agent.provider.FlipStatus;
import dev.pgflip.agent.provider.NodeIdentity;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.ManualClock;
import dev.pgflip.agent.time.Sleeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromoteOrchestratorTest {
    static final NodeIdentity N2 = new NodeIdentity("n2", OptionalLong.of(1002));
    static final FlipByHand BY_HAND = new FlipByHand("198.18.0.100", "/etc/pgflip/agent.yaml");

    /** Answers STANDBY to the first {@code standbyAnswers} probes, PRIMARY after. */
    static NodeRoleProbe primaryAfter(int standbyAnswers) {
        AtomicInteger probes = new AtomicInteger();
        return () -> probes.getAndIncrement() < standbyAnswers ? NodeRole.STANDBY : NodeRole.PRIMARY;
    }

    /** Records each assign and what a marker file said at that moment. */
    static final class RecordingProvider implements FlipProvider {
        final AtomicInteger assigns = new AtomicInteger();
        Path marker;
        Boolean markerExistedAtAssign;
        /** Created once the assign has looked at the marker: tells the promote command it may return. */
        Path assigned;
        RuntimeException failure;

        @Override
        public FlipStatus status() {
            return FlipStatus.unknown("198.18.0.100");
        }

        @Override
        public AssignResult assign(NodeIdentity target, Deadline deadline) {
            assigns.incrementAndGet();
            if (marker != null) {
                markerExistedAtAssign = Files.exists(marker);
            }
            if (assigned != null) {
                try {
                    Files.createFile(assigned);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return AssignResult.moved("198.18.0.100", target, deadline.elapsed());
        }

        @Override
        public void unassign(Deadline deadline) {}
    }

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock();
    final RecordingProvider provider = new RecordingProvider();
    final RecordingTimeline timeline = new RecordingTimeline();

    PromoteOrchestrator orchestrator(Sleeper sleeper) {
        return new PromoteOrchestrator("n2", deadline -> new FlipTarget(N2, provider), new ProcessRunner(), sleeper,
                timeline, BY_HAND);
    }

    @Test
    void movesTheIpAsSoonAsTheNodeIsWritableNotWhenPromoteReturns() {
        provider.marker = dir.resolve("promote-returned");
        provider.assigned = dir.resolve("ip-moved");
        // The command outlives the promotion, as repmgr standby promote does (it sleeps after the node is up). No race
        // with a sleep: it returns only once the IP has moved, so an orchestrator that moved the IP only after the
        // command returned would find the marker, left when the command gives up on the move (500 polls, 5 s or more).
        List<String> command = List.of("/bin/sh", "-c", "i=0; while [ ! -e " + provider.assigned
                + " ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done; touch " + provider.marker);

        PromoteReport r = orchestrator(clock).promoteAndFlip(command, primaryAfter(2), clock.deadline(Duration.ofSeconds(10)));

        assertThat(provider.markerExistedAtAssign).as("promote command had returned when the IP was moved").isFalse();
        assertThat(r.nodeWritableAfter()).as("two probe intervals on the manual clock").hasValue(Duration.ofMillis(200));
        assertThat(r.flip().alreadyHeld()).isFalse();
        assertThat(r.promoteExitCode()).hasValue(0);
        assertThat(provider.marker).as("the command returned after the move, and was waited for").exists();
        assertThat(timeline.events()).containsExactly("pgflip_node_writable", "pgflip_flip_assigned");
    }

    @Test
    void promoteCommandFailingWhileStandbyIsExitCode1AndTheIpStays() {
        // The real clock: the loop must see the real process end before the deadline does.
        assertThatThrownBy(() -> orchestrator(Sleeper.SYSTEM).promoteAndFlip(List.of("/bin/sh", "-c", "exit 3"),
                () -> NodeRole.STANDBY, Deadline.after(Duration.ofSeconds(30))))
                .isInstanceOf(PromoteFailedException.class)
                .hasMessageContaining("promote.command exited with 3")
                .hasMessageContaining("still a standby")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.PROMOTE_FAILED));
        assertThat(provider.assigns).hasValue(0);
    }

    @Test
    void nodeNeverPrimaryGivesUpAtTheDeadlineWithExit1() {
        assertThatThrownBy(() -> orchestrator(clock).promoteAndFlip(List.of("/bin/sh", "-c", "sleep 2"),
                () -> NodeRole.UNREACHABLE, clock.deadline(Duration.ofMillis(500))))
                .isInstanceOf(PromoteFailedException.class)
                .hasMessageContaining("did not become primary within 500ms")
                .hasMessageContaining("not answering")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.PROMOTE_FAILED));
        assertThat(provider.assigns).hasValue(0);
    }

    @Test
    void missingPromoteProgramIsAPromoteFailure() {
        assertThatThrownBy(() -> orchestrator(clock).promoteAndFlip(List.of("/nonexistent/repmgr"),
                () -> NodeRole.STANDBY, clock.deadline(Duration.ofSeconds(1))))
                .isInstanceOf(PromoteFailedException.class)
                .hasMessageContaining("cannot start promote.command /nonexistent/repmgr");
    }

    @Test
    void flipFailureAfterPromotionIsDeferredNotThrown() {
        provider.failure = new FlipException("could not move floating IP 198.18.0.100 to droplet 1002 in time");

        PromoteReport r = orchestrator(clock).promoteAndFlip(List.of("/bin/true"), primaryAfter(0),
                clock.deadline(Duration.ofSeconds(5)));

        assertThat(r.deferral()).hasValueSatisfying(d -> {
            assertThat(d.kind()).isEqualTo(FlipDeferral.Kind.API_TROUBLE);
            assertThat(d.reason()).contains("in time");
        });
        assertThat(r.nodeWritableAfter()).isPresent();
        assertThat(timeline.events()).containsExactly("pgflip_node_writable", "pgflip_flip_deferred");
    }

    @Test
    void promoteExitingNonZeroAfterTheNodeIsPrimaryStillSucceeds() {
        PromoteReport r = orchestrator(clock).promoteAndFlip(List.of("/bin/sh", "-c", "sleep 0.3; exit 5"),
                primaryAfter(1), clock.deadline(Duration.ofSeconds(5)));

        assertThat(r.promoteExitCode()).hasValue(5);
        assertThat(r.flip().ip()).isEqualTo("198.18.0.100");
    }

    @Test
    void flipOnlyDoesNotNeedAProbe() {
        PromoteReport r = orchestrator(clock).flipOnly(clock.deadline(Duration.ofSeconds(1)));
        assertThat(r.nodeWritableAfter()).isEmpty();
        assertThat(provider.assigns).hasValue(1);
    }

    @Test
    void flipOnlyFailureIsStillExit3AndTellsHowToMoveItByHand() {
        provider.failure = new FlipException("could not move floating IP 198.18.0.100 to droplet 1002 in time");

        assertThatThrownBy(() -> orchestrator(clock).flipOnly(clock.deadline(Duration.ofSeconds(1))))
                .isInstanceOf(FlipException.class)
                .hasMessageContaining("move it by hand: pgflip flip assign 1002 --config /etc/pgflip/agent.yaml")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.FLIP_FAILED));
        assertThat(timeline.events()).containsExactly("pgflip_flip_failed");
    }
}
