package dev.pgflip.lab.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code pgflip watch} reads the floating IP once at start: a configuration the API refuses stops the daemon there,
 * with its exit code and one line, instead of at the failover; an API that is only unreachable does not.
 */
class WatchFirstLookTest extends AgainstTheEmulator {
    @Test
    void aRejectedTokenStopsTheDaemonAtStartWithExitFour() throws Exception {
        Path wrong = Files.createFile(dir.resolve("wrong-token"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(wrong, "not-the-token-" + System.nanoTime() + "\n");
        String config = cloud.config().tokenFile(wrong).database("127.0.0.1", 1).write();

        AgentProcess.Shown watch = AgentProcess.run(dir, "watch-wrong-token", Map.of(), Duration.ofSeconds(60),
                "watch", "--config", config);

        assertThat(watch.exitCode()).as(watch.toString()).isEqualTo(4);
        assertThat(watch.stderr().lines().filter(l -> l.startsWith("pgflip watch: ")).toList()).singleElement()
                .asString().contains("DigitalOcean rejected the token (401 unauthorized)");
    }

    @Test
    void anUnreachableApiIsLoggedAndTheDaemonKeepsRunning() throws Exception {
        String config = cloud.config().database("127.0.0.1", 1).requestTimeout("300ms").write();
        cloud.faults().refuseConnections(Duration.ofSeconds(60));

        try (AgentProcess watch = AgentProcess.start(dir, "watch-api-down", Map.of(), "watch", "--config", config)) {
            watch.awaitStdout("\"event\":\"started\"", Duration.ofSeconds(60));
            watch.awaitStdout("\"event\":\"flip_error\"", Duration.ofSeconds(60));

            assertThat(watch.stop("watch-api-down").exitCode()).as("still running until stopped").isEqualTo(143);
        } finally {
            cloud.faults().clear();
        }
    }
}
