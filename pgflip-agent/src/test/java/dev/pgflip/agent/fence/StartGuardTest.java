package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.process.ProcessRunner;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard's edge on a data directory of files: what it leaves there and in the fence record. Peers that do not
 * answer are a port nothing listens on; the lab's {@code stale-restart} drill runs it against real nodes.
 */
class StartGuardTest {
    @TempDir
    Path dir;
    private Path data;
    private FenceRecord record;
    private PeerListFile peers;
    private final List<Map<String, Object>> marked = new ArrayList<>();

    @BeforeEach
    void dataDirectoryOfAStoppedPrimaryOnTimeline3() throws IOException {
        data = Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(data.resolve("pg_wal"));
        Files.writeString(data.resolve("pg_wal/00000003.history"), "");
        record = new FenceRecord(dir.resolve("fence.state"));
        peers = PeerListFile.besideFenceRecord(record.file());
    }

    private StartGuard guard() throws IOException {
        Path controldata = dir.resolve("pg_controldata");
        Files.writeString(controldata, "#!/bin/sh\necho \"Latest checkpoint's TimeLineID:       2\"\n");
        Files.setPosixFilePermissions(controldata, PosixFilePermissions.fromString("rwx------"));
        NodeConnector connector = NodeConnector.of(new DatabaseConfig("127.0.0.1", 5432, "repmgr", "repmgr",
                Optional.empty()), "pgflip-start-guard-test");
        PromoteTimeline events = (event, at, facts) -> marked.add(Map.of("event", event, "facts", facts));
        return new StartGuard("n1", data, controldata, connector, peers, record, new ProcessRunner(), events);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void withTheWitnessAndEveryPeerSilentTheOldPrimaryStartsInRecoveryUnderAnIsolationFenceOnItsTimeline()
            throws IOException {
        int nobody = closedPort();
        peers.write(new PeerListFile.Recorded("primary", List.of(new Peer("n2", "standby", "127.0.0.1", nobody),
                new Peer("n3", "witness", "127.0.0.1", nobody))));

        String outcome = guard().run();

        assertThat(outcome).startsWith("starts in recovery: isolated at start:").contains("n2 is unreachable");
        assertThat(data.resolve("standby.signal")).exists();
        FenceState fence = record.read().orElseThrow();
        assertThat(fence.kind()).isEqualTo(FenceState.Kind.ISOLATED);
        // timeline 3 from pg_wal's history file, though the last checkpoint still says 2
        assertThat(fence.timeline()).hasValue(3);
        assertThat(marked).singleElement().satisfies(m -> assertThat(m.get("event")).isEqualTo(StartGuard.EVENT));
    }

    @Test
    void aNodeThatStartsInRecoveryAnywayIsLeftAlone() throws IOException {
        Files.writeString(data.resolve("standby.signal"), "");
        peers.write(new PeerListFile.Recorded("standby", List.of(new Peer("n2", "standby", "127.0.0.1", closedPort()))));
        assertThat(guard().run()).contains("nothing to guard");
        assertThat(record.read()).isEmpty();
        assertThat(marked).isEmpty();
    }

    @Test
    void aRunningPostmasterIsNotGuardedAndNothingIsWritten() throws IOException {
        Files.writeString(data.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + data + "\n");
        peers.write(new PeerListFile.Recorded("primary", List.of(new Peer("n2", "standby", "127.0.0.1", closedPort()))));
        assertThat(guard().run()).startsWith("PostgreSQL is running");
        assertThat(data.resolve("standby.signal")).doesNotExist();
        assertThat(record.read()).isEmpty();
    }

    @Test
    void withoutAPeerListTheNodeStartsAsItIsAndSaysWhy() throws IOException {
        assertThat(guard().run()).startsWith("starts as it is: no peer list at").contains("pgflip watch writes it");
        assertThat(data.resolve("standby.signal")).doesNotExist();
    }

    @Test
    void theWitnessIsNeverGuarded() throws IOException {
        peers.write(new PeerListFile.Recorded("witness", List.of(new Peer("n1", "primary", "127.0.0.1", closedPort()))));
        assertThat(guard().run()).contains("the witness takes no writes");
        assertThat(data.resolve("standby.signal")).doesNotExist();
    }
}
