package dev.pgflip.agent.rejoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.promote.NodeRoleProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, hole 8: the whole rejoin with its edges faked (no PostgreSQL here) and a stand-in repmgr that records
 * being run. A refusal must come before anything that changes a node: no CHECKPOINT, no repmgr node rejoin.
 */
class NodeRejoinTest {
    static final String N1_CONNINFO = "host=198.18.0.11 port=5432 user=repmgr dbname=repmgr password=s3cret";

    @TempDir
    Path dir;
    Path repmgrRan;
    AgentConfig config;
    final AtomicInteger controlDataReads = new AtomicInteger();
    FakeSource source;

    /** The node the floating IP leads to, as it would answer. */
    static final class FakeSource implements SourceConnection {
        final RejoinSource answer;
        int checkpoints;
        int opened;
        boolean closed;

        FakeSource(RejoinSource answer) {
            this.answer = answer;
        }

        @Override
        public RejoinSource describe() {
            return answer;
        }

        @Override
        public void checkpoint() {
            checkpoints++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** This node's walreceiver as it answers while it runs as a standby: streaming, unless a test says otherwise. */
    private LocalStandby standby = new LocalStandby(true, 2);

    @BeforeEach
    void config() throws Exception {
        repmgrRan = dir.resolve("repmgr-ran");
        Path repmgr = dir.resolve("repmgr");
        Files.writeString(repmgr, "#!/bin/sh\necho \"$*\" > " + repmgrRan + "\n");
        Files.setPosixFilePermissions(repmgr, PosixFilePermissions.fromString("rwx------"));
        Path repmgrConf = Files.writeString(dir.resolve("repmgr.conf"), "node_id=2\ndata_directory='/data'\n");
        config = AgentConfigLoader.parse(String.join("\n",
                "node:",
                "  name: n2",
                "  database: {host: 127.0.0.1, port: 5432, dbname: repmgr, user: repmgr}",
                "flip: {ip: 198.18.0.100, provider: digitalocean}",
                "rejoin:",
                "  repmgr_conf: " + repmgrConf,
                "  config_archive_dir: " + dir.resolve("archive"),
                "  repmgr: " + repmgr,
                ""), "test.yaml", ConfigPurpose.REJOIN);
    }

    /** This node as it answers SQL: {@code before} until repmgr node rejoin ran, a standby after. */
    NodeRoleProbe local(NodeRole before) {
        return () -> Files.exists(repmgrRan) ? NodeRole.STANDBY : before;
    }

    NodeRejoin rejoin(NodeRole localRole, long localTimeline, RejoinSource seen) {
        source = new FakeSource(seen);
        return new NodeRejoin(config, new ProcessRunner(), () -> local(localRole), () -> {
            controlDataReads.incrementAndGet();
            return new ControlData("in production", localTimeline, 0);
        }, () -> false, Duration.ZERO, () -> {
            source.opened++;
            return source;
        }, () -> Optional.of(standby));
    }

    static RejoinSource primaryN1(long timeline) {
        return new RejoinSource("198.18.0.100", "n1", N1_CONNINFO, false, timeline);
    }

    @Test
    void rewindsOntoAPrimaryOnANewerTimelineAfterACheckpointThere() throws Exception {
        String outcome = rejoin(NodeRole.UNREACHABLE, 1, primaryN1(2)).run();

        assertThat(source.checkpoints).isEqualTo(1);
        assertThat(source.closed).isTrue();
        assertThat(Files.readString(repmgrRan)).contains("node rejoin -d " + N1_CONNINFO + " --force-rewind");
        assertThat(outcome).isEqualTo("node n2 rejoined as a standby of host=198.18.0.11 port=5432 user=repmgr"
                + " dbname=repmgr password=****");
    }

    @Test
    void refusesToRewindTheNewerNodeOntoAnOlderPrimaryAndChangesNothing() {
        NodeRejoin rejoin = rejoin(NodeRole.UNREACHABLE, 2, primaryN1(1));

        assertThatThrownBy(rejoin::run)
                .isInstanceOf(PgflipException.class)
                .hasMessageContaining("source 198.18.0.100 (n1) is primary on timeline 1, local n2 is on timeline 2:"
                        + " the source is older; this would rewind the newer node")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.USAGE));
        assertThat(source.checkpoints).isZero();
        assertThat(source.closed).isTrue();
        assertThat(repmgrRan).doesNotExist();
    }

    @Test
    void refusesAPrimaryOnTheSameTimelineAndChangesNothing() {
        NodeRejoin rejoin = rejoin(NodeRole.UNREACHABLE, 2, primaryN1(2));

        assertThatThrownBy(rejoin::run)
                .isInstanceOf(PgflipException.class)
                .hasMessageContaining("is primary on timeline 2 and local n2 is on timeline 2 too")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.USAGE));
        assertThat(source.checkpoints).isZero();
        assertThat(repmgrRan).doesNotExist();
    }

    @Test
    void refusesAStandbyBehindTheFloatingIpWithExit3AndChangesNothing() {
        NodeRejoin rejoin = rejoin(NodeRole.UNREACHABLE, 1, new RejoinSource("198.18.0.100", "n3", "", true, 0));

        assertThatThrownBy(rejoin::run)
                .isInstanceOf(PgflipException.class)
                .hasMessageContaining("the floating IP 198.18.0.100 leads to a standby (n3, in recovery)")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.FLIP_FAILED));
        assertThat(source.checkpoints).isZero();
        assertThat(repmgrRan).doesNotExist();
    }

    @Test
    void aNodeStillRunningAsPrimaryIsRefusedBeforeAnythingElseIsAsked() {
        NodeRejoin rejoin = rejoin(NodeRole.PRIMARY, 2, primaryN1(1));

        assertThatThrownBy(rejoin::run)
                .isInstanceOf(PgflipException.class)
                .hasMessageContaining("node n2 still runs as a primary: stop it first")
                .hasMessageContaining("only if it is the old primary")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.USAGE));
        assertThat(controlDataReads).hasValue(0);
        assertThat(source.opened).isZero();
        assertThat(repmgrRan).doesNotExist();
    }

    @Test
    void aStandbyStreamingOnThePrimarysTimelineHasNothingToDoAndNothingIsChanged() {
        String outcome = rejoin(NodeRole.STANDBY, 2, primaryN1(2)).run();

        assertThat(outcome).isEqualTo("node n2 is already a standby: nothing to do");
        assertThat(controlDataReads).hasValue(0);
        assertThat(source.opened).as("asked for its timeline only").isEqualTo(1);
        assertThat(source.checkpoints).isZero();
        assertThat(repmgrRan).doesNotExist();
    }

    @Test
    void aStandbyStreamingOnAnOlderTimelineThanThePrimaryIsRewound() throws Exception {
        // Two standbys, stale-restart: n4 streamed from n2, a standby still on timeline 2 after n1's promotion onto
        // 3, and reported 'streaming' between its failed attempts to follow ("new timeline 3 forked off ... before
        // current recovery point"): taken for a healthy standby, it was left stranded.
        standby = new LocalStandby(true, 1);
        String outcome = rejoin(NodeRole.STANDBY, 1, primaryN1(2)).run();

        assertThat(Files.readString(repmgrRan)).contains("node rejoin -d " + N1_CONNINFO + " --force-rewind");
        assertThat(outcome).startsWith("node n2 rejoined as a standby of host=198.18.0.11");
    }

    @Test
    void aStandbyThatDoesNotStreamOnAnOlderTimelineIsStoppedAndRewoundOntoThePrimary() throws Exception {
        // With two standbys: the other standby streamed from the old primary restarted on timeline 1 and now holds
        // WAL past where the new primary's timeline 2 began.
        standby = new LocalStandby(false, 1);
        String outcome = rejoin(NodeRole.STANDBY, 1, primaryN1(2)).run();

        assertThat(Files.readString(repmgrRan)).contains("node rejoin -d " + N1_CONNINFO + " --force-rewind");
        assertThat(source.checkpoints).isEqualTo(1);
        assertThat(controlDataReads).as("the timeline is checked again once it is stopped").hasValue(1);
        assertThat(outcome).startsWith("node n2 rejoined as a standby of host=198.18.0.11");
    }

    @Test
    void aStandbyThatDoesNotStreamOnThePrimarysTimelineIsLeftAlone() {
        standby = new LocalStandby(false, 2);
        String outcome = rejoin(NodeRole.STANDBY, 2, primaryN1(2)).run();

        assertThat(outcome).contains("is a standby on timeline 2, the primary's (198.18.0.100 (n1)), but does not"
                + " stream now: nothing to rewind").endsWith("nothing was changed");
        assertThat(repmgrRan).doesNotExist();
        assertThat(source.checkpoints).isZero();
    }

    @Test
    void aStandbyThatDoesNotStreamIsNeverRewoundOntoAnOlderPrimary() {
        standby = new LocalStandby(false, 3);
        assertThatThrownBy(rejoin(NodeRole.STANDBY, 3, primaryN1(2))::run).isInstanceOf(PgflipException.class)
                .hasMessageContaining("node n2 is a standby that does not stream; source 198.18.0.100 (n1) is primary"
                        + " on timeline 2, local n2 is on timeline 3: the source is older")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.USAGE));
        assertThat(repmgrRan).doesNotExist();
    }

    @Test
    void anUnreadableLocalTimelineStopsTheRejoinBeforeTheSourceIsAsked() {
        source = new FakeSource(primaryN1(2));
        NodeRejoin rejoin = new NodeRejoin(config, new ProcessRunner(), () -> local(NodeRole.UNREACHABLE), () -> {
            throw new PgflipException(ExitCode.USAGE, "cannot read this node's timeline: ...; nothing was changed");
        }, () -> false, Duration.ZERO, () -> {
            source.opened++;
            return source;
        }, () -> Optional.of(standby));

        assertThatThrownBy(rejoin::run).isInstanceOf(PgflipException.class).hasMessageContaining("nothing was changed");
        assertThat(source.opened).isZero();
        assertThat(repmgrRan).doesNotExist();
    }

    @Test
    void aRunningNodeThatDoesNotAnswerYetIsWaitedForNotTakenForStopped() {
        // Starting up (a fence's restart, its link just back): it refuses connections twice, then answers. Taken for
        // stopped, its control file ("in archive recovery" while it runs) sent the drill's rejoin to start it again.
        AtomicInteger probes = new AtomicInteger();
        source = new FakeSource(primaryN1(2));
        NodeRejoin rejoin = new NodeRejoin(config, new ProcessRunner(),
                () -> () -> probes.incrementAndGet() <= 2 ? NodeRole.UNREACHABLE : NodeRole.STANDBY, () -> {
                    controlDataReads.incrementAndGet();
                    return new ControlData("in archive recovery", 1, 0);
                }, () -> true, Duration.ofSeconds(10), () -> source, () -> Optional.of(standby));

        assertThat(rejoin.run()).isEqualTo("node n2 is already a standby: nothing to do");
        assertThat(probes).hasValue(3);
        assertThat(controlDataReads).hasValue(0);
        assertThat(repmgrRan).as("no node service start, no rejoin").doesNotExist();
    }

    @Test
    void aRunningNodeThatNeverAnswersStopsTheRejoinWithNothingChanged() {
        source = new FakeSource(primaryN1(2));
        NodeRejoin rejoin = new NodeRejoin(config, new ProcessRunner(), () -> () -> NodeRole.UNREACHABLE, () -> {
            controlDataReads.incrementAndGet();
            return new ControlData("in archive recovery", 1, 0);
        }, () -> true, Duration.ofMillis(600), () -> source, () -> Optional.of(standby));

        assertThatThrownBy(rejoin::run).isInstanceOf(PgflipException.class)
                .hasMessageContaining("node n2's PostgreSQL runs (pg_ctl status) but did not answer within 0 s")
                .hasMessageContaining("nothing was changed");
        assertThat(controlDataReads).hasValue(0);
        assertThat(source.opened).isZero();
        assertThat(repmgrRan).doesNotExist();
    }
}
