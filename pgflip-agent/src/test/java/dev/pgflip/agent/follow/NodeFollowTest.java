package dev.pgflip.agent.follow;

import static dev.pgflip.agent.follow.Cluster.NODES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.RejoinConfig;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole follow on standby n3, with its edges faked: repmgr.nodes as n3 has it, n2's answers scripted, a stand-in
 * repmgr that records being run, and a clock that moves only when the follow sleeps. A refusal must come before
 * repmgr runs, and every outcome is one pgflip_follow event.
 */
class NodeFollowTest {
    static final Path REPMGR_CONF = Path.of("/etc/repmgr.conf");

    @TempDir
    Path dir;
    Path repmgrRan;
    Path repmgr;
    final ManualClock clock = new ManualClock();
    final Events events = new Events();
    final List<RepmgrNode> asked = new ArrayList<>();


    /** The events the follow recorded. */
    static final class Events implements PromoteTimeline {
        record Mark(String event, Map<String, Object> facts) {}

        final List<Mark> marks = new ArrayList<>();

        @Override
        public void mark(String event, Instant at, Map<String, Object> facts) {
            marks.add(new Mark(event, Map.copyOf(facts)));
        }

        Mark only() {
            assertThat(marks).hasSize(1);
            return marks.get(0);
        }
    }

    @BeforeEach
    void repmgr() throws Exception {
        repmgrRan = dir.resolve("repmgr-ran");
        repmgr = stubRepmgr("echo \"$*\" > " + repmgrRan + "\nexit 0");
    }

    Path stubRepmgr(String body) throws Exception {
        Path script = dir.resolve("repmgr");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** n2 answers these, in order, then the last one for ever. */
    UpstreamProbe answers(UpstreamAnswer... script) {
        Deque<UpstreamAnswer> left = new ArrayDeque<>(List.of(script));
        return node -> {
            asked.add(node);
            return left.size() > 1 ? left.poll() : left.peek();
        };
    }

    NodeFollow follow(NodeFollow.LocalNodes nodes, UpstreamProbe probe) {
        return follow(nodes, probe, events);
    }

    NodeFollow follow(NodeFollow.LocalNodes nodes, UpstreamProbe probe, PromoteTimeline timeline) {
        RejoinConfig rejoin = new RejoinConfig(REPMGR_CONF, dir.resolve("archive"), repmgr.toString());
        return new NodeFollow("n3", REPMGR_CONF, nodes, probe, new RepmgrFollow(rejoin, new ProcessRunner()), timeline,
                clock, clock);
    }

    @Test
    void followsOnceTheNewPrimaryAnswersWritableAndRecordsIt() throws Exception {
        NodeFollow follow = follow(() -> NODES, answers(UpstreamAnswer.unreachable("Connection refused"),
                UpstreamAnswer.answered(true, true), UpstreamAnswer.answered(false, false)));

        String done = follow.run(2, Duration.ofSeconds(30));

        assertThat(done).isEqualTo("followed n2 (node 2) at 198.18.0.12:5432");
        assertThat(asked).hasSize(3).allMatch(n -> n.name().equals("n2"));
        assertThat(Files.readString(repmgrRan).strip())
                .isEqualTo("standby follow -f /etc/repmgr.conf --log-to-file --upstream-node-id=2");
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(200));
        Events.Mark mark = events.only();
        assertThat(mark.event()).isEqualTo("pgflip_follow");
        assertThat(mark.facts()).containsEntry("success", true).containsEntry("upstream_node_id", 2)
                .containsEntry("details", "followed n2 (node 2) at 198.18.0.12:5432");
    }

    @Test
    void aFencedPrimaryIsNeverFollowedAndWhenTheWaitEndsNothingIsChanged() {
        NodeFollow follow = follow(() -> NODES, answers(UpstreamAnswer.answered(false, true)));

        assertThatThrownBy(() -> follow.run(2, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(PgflipException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.PROMOTE_FAILED))
                .hasMessageContaining("n2 (node 2) at 198.18.0.12:5432 did not answer as a writable primary within 1 s:"
                        + " it was last read-only (fenced")
                .hasMessageContaining("nothing was changed")
                .hasMessageContaining("repmgr -f /etc/repmgr.conf standby follow --upstream-node-id=");
        assertThat(repmgrRan).doesNotExist();
        assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(1));
        assertThat(asked).hasSize(11); // at 0, 100, ..., 1000 ms
        Events.Mark mark = events.only();
        assertThat(mark.facts()).containsEntry("success", false).containsEntry("upstream_node_id", 2);
        assertThat((String) mark.facts().get("details")).contains("read-only (fenced").contains("nothing was changed");
    }

    @Test
    void aNodeStillInRecoveryOrUnreachableAtTheEndIsSaidSo() {
        assertThatThrownBy(() -> follow(() -> NODES, answers(UpstreamAnswer.answered(true, true))).run(2,
                Duration.ofMillis(300))).hasMessageContaining("it was last in recovery");
        assertThatThrownBy(() -> follow(() -> NODES, answers(UpstreamAnswer.unreachable("Connection refused")))
                .run(2, Duration.ofMillis(300))).hasMessageContaining("it was last unreachable (Connection refused)");
        assertThat(repmgrRan).doesNotExist();
    }

    @Test
    void anUnknownNodeIsRefusedBeforeAnythingIsAskedAndTheRefusalIsRecorded() {
        NodeFollow follow = follow(() -> NODES, answers(UpstreamAnswer.answered(false, false)));

        assertThatThrownBy(() -> follow.run(9, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(PgflipException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("node 9 is not in this node's repmgr.nodes, which has 1 (n1), 2 (n2)");
        assertThat(asked).isEmpty();
        assertThat(repmgrRan).doesNotExist();
        assertThat(events.only().facts()).containsEntry("success", false).containsEntry("upstream_node_id", 9);
    }

    @Test
    void thisNodeItselfIsNeverFollowed() {
        NodeFollow follow = follow(() -> NODES, answers(UpstreamAnswer.answered(false, false)));

        assertThatThrownBy(() -> follow.run(3, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(PgflipException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("node 3 (n3) is this node");
        assertThat(asked).isEmpty();
        assertThat(repmgrRan).doesNotExist();
    }

    @Test
    void repmgrsFailureIsExit1NamingItsExitStatus() throws Exception {
        repmgr = stubRepmgr("exit 3");
        NodeFollow follow = follow(() -> NODES, answers(UpstreamAnswer.answered(false, false)));

        assertThatThrownBy(() -> follow.run(2, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(PgflipException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.PROMOTE_FAILED))
                .hasMessage("repmgr standby follow towards n2 (node 2) at 198.18.0.12:5432 exited with status 3 (its"
                        + " output is above and in repmgr's log)");
        assertThat(events.only().facts()).containsEntry("success", false);
    }

    @Test
    void aRepmgrThatCannotStartIsAConfigurationError() {
        repmgr = dir.resolve("no-such-repmgr");
        NodeFollow follow = follow(() -> NODES, answers(UpstreamAnswer.answered(false, false)));

        assertThatThrownBy(() -> follow.run(2, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(PgflipException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("cannot run " + repmgr).hasMessageContaining("set rejoin.repmgr");
    }

    @Test
    void repmgrGetsWhatIsLeftOfTheWaitAndIsKilledAtItsEnd() throws Exception {
        // The clock stands still while repmgr runs, so repmgr is given the whole 300 ms, in real time.
        repmgr = stubRepmgr("exec sleep 30");
        NodeFollow follow = follow(() -> NODES, answers(UpstreamAnswer.answered(false, false)));

        long started = System.nanoTime();
        assertThatThrownBy(() -> follow.run(2, Duration.ofMillis(300)))
                .isInstanceOfSatisfying(PgflipException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.PROMOTE_FAILED))
                .hasMessageContaining("did not finish within --wait 300 ms and was killed")
                .hasMessageContaining("node status");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aPrimaryWritableOnlyAsTheWaitRunsOutIsNotFollowedWithNoTimeLeftForRepmgr() {
        UpstreamProbe lateAnswer = node -> {
            clock.sleep(Duration.ofSeconds(2)); // the question itself took past the deadline
            return UpstreamAnswer.answered(false, false);
        };

        assertThatThrownBy(() -> follow(() -> NODES, lateAnswer).run(2, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(PgflipException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.PROMOTE_FAILED))
                .hasMessageContaining("answered as a writable primary only as the 1000 ms wait ran out: nothing was"
                        + " changed");
        assertThat(repmgrRan).doesNotExist();
    }

    @Test
    void thisNodesRepmgrNodesIsReadAgainWhileItDoesNotAnswerYet() {
        AtomicInteger reads = new AtomicInteger();
        NodeFollow.LocalNodes restarting = () -> {
            if (reads.incrementAndGet() < 3) {
                throw new SQLException("the database system is starting up", "57P03");
            }
            return NODES;
        };

        assertThat(follow(restarting, answers(UpstreamAnswer.answered(false, false))).run(2, Duration.ofSeconds(30)))
                .startsWith("followed n2");
        assertThat(reads).hasValue(3);
    }

    @Test
    void aLocalNodeThatNeverAnswersIsGivenUpWithNothingChanged() {
        NodeFollow.LocalNodes down = () -> {
            throw new SQLException("Connection to 127.0.0.1:5432 refused.\nCheck that the hostname", "08001");
        };

        assertThatThrownBy(() -> follow(down, answers(UpstreamAnswer.answered(false, false))).run(2,
                Duration.ofMillis(500)))
                .isInstanceOfSatisfying(PgflipException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(ExitCode.PROMOTE_FAILED))
                .hasMessage("cannot read repmgr.nodes on this node (Connection to 127.0.0.1:5432 refused.) within 500"
                        + " ms: nothing was changed; see pgflip status");
        assertThat(asked).isEmpty();
    }

    @Test
    void theEventIsOneJsonLineInTheAgentsEventsFormatWithoutTheConninfosPassword() throws Exception {
        Path log = dir.resolve("events.jsonl");
        NodeFollow follow = follow(() -> NODES, answers(UpstreamAnswer.answered(false, false)),
                PromoteTimeline.to(log, "n3"));

        follow.run(2, Duration.ofSeconds(30));

        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContain("s3cret");
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertThat(line.path("event").asText()).isEqualTo("pgflip_follow");
        assertThat(line.path("node").asText()).isEqualTo("n3");
        assertThat(line.path("success").asBoolean()).isTrue();
        assertThat(line.path("upstream_node_id").asInt()).isEqualTo(2);
        assertThat(line.path("details").asText()).isEqualTo("followed n2 (node 2) at 198.18.0.12:5432");
        assertThat(line.path("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void theRepmgrCommandLineIsRepmgrsOwnFollowCommandTowardsTheNode() {
        RepmgrFollow follow = new RepmgrFollow(new RejoinConfig(REPMGR_CONF, dir, "/usr/lib/postgresql/15/bin/repmgr"),
                new ProcessRunner());

        assertThat(follow.argv(12)).containsExactly("/usr/lib/postgresql/15/bin/repmgr", "standby", "follow", "-f",
                "/etc/repmgr.conf", "--log-to-file", "--upstream-node-id=12");
    }
}
