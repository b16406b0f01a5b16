package dev.pgflip.lab.agent;

import static dev.pgflip.lab.agent.EmulatedCloud.OTHER_DROPLET;
import static dev.pgflip.lab.agent.EmulatedCloud.THIS_DROPLET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.digitalocean.TokenSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The token, and a wrong one too, never shows outside the agent's process: not on its stdout or stderr at DEBUG, not
 * in the events file or any other file it leaves, not in its argv ({@code /proc/PID/cmdline}, readable by every user)
 * while it runs, not in a help screen. Each run is a real {@code pgflip} JVM against the emulator over HTTPS: runs
 * that succeed (promote, flip assign with the token from the environment, watch) and runs that fail (wrong token:
 * exit 4, API down: exit 3). The tokens are random per run, so a hit can only be a leak.
 */
class TokenNeverShownByAgentProcessesTest extends AgainstTheEmulator {
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    final String wrongToken = "dop_v1_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    final List<AgentProcess.Shown> runs = new ArrayList<>();

    @Test
    void noTokenInAnyOutputFileArgvOrHelpOfSucceedingAndFailingRuns() throws Exception {
        String promote = cloud.config().deadline("20s").write();
        run("promote", 0, Map.of(), "promote", "--skip-promote", "--config", promote);
        assertThat(cloud.holder()).hasValue(THIS_DROPLET);

        String fromEnvironment = cloud.config().tokenFile(null).write();
        run("flip-assign", 0, Map.of(TokenSource.ENV, cloud.token), "flip", "assign", Long.toString(OTHER_DROPLET),
                "--wait", "--config", fromEnvironment);
        assertThat(cloud.holder()).hasValue(OTHER_DROPLET);

        String wrong = cloud.config().tokenFile(privateFile("wrong-token", wrongToken)).write();
        run("wrong-token", 4, Map.of(), "promote", "--skip-promote", "--config", wrong);

        String down = cloud.config().deadline("2s").write();
        cloud.faults().refuseConnections(Duration.ofSeconds(60));
        run("api-down", 3, Map.of(), "promote", "--skip-promote", "--config", down);
        cloud.faults().clear();

        String watch = cloud.config().database("127.0.0.1", 1).write();
        try (AgentProcess daemon = AgentProcess.start(dir, "watch", Map.of(), "watch", "--config", watch)) {
            // It reads the IP once at start, with the token: the line shows the holder the API reported.
            daemon.awaitStdout("\"flip_droplet_id\":" + OTHER_DROPLET, RUN_TIMEOUT);
            runs.add(daemon.stop("watch"));
        }

        List<String[]> helps = List.of(new String[] {"--help"}, new String[] {"promote", "--help"});
        for (int i = 0; i < helps.size(); i++) {
            // With the token in the environment: a help screen showing ${env:...} defaults would print it.
            run("help-" + i, 0, Map.of(TokenSource.ENV, cloud.token), helps.get(i));
        }

        // 143 = 128 + SIGTERM: how the JVM ends on SIGTERM once its shutdown hook has run (systemd counts it as clean)
        assertThat(runs).extracting(AgentProcess.Shown::exitCode).containsExactly(0, 0, 4, 3, 143, 0, 0);
        assertThat(runs.get(2).stderr()).contains("pgflip promote: DigitalOcean rejected the token (401 unauthorized)");
        assertThat(runs.get(3).stderr()).contains("pgflip promote: could not");
        for (AgentProcess.Shown run : runs) {
            assertThat(run.cmdlines()).as("argv of " + run.name() + " was sampled while it ran")
                    .anyMatch(c -> c.contains("dev.pgflip.agent.cli.AgentMain"));
            assertNoToken(run.everything(), run.toString());
        }
        assertThat(cloud.eventsLogText()).contains("pgflip_promote_done");
        try (var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (!file.equals(cloud.tokenFile()) && !file.getFileName().toString().equals("wrong-token")) {
                    assertNoToken(Files.readString(file, StandardCharsets.UTF_8), "file " + file);
                }
            }
        }
    }

    private void run(String name, int expectedExit, Map<String, String> env, String... args) throws Exception {
        AgentProcess.Shown shown = AgentProcess.run(dir, name, env, RUN_TIMEOUT, args);
        assertThat(shown.exitCode()).as(shown.toString()).isEqualTo(expectedExit);
        runs.add(shown);
    }

    private void assertNoToken(String text, String where) {
        assertThat(text).as("the token in " + where).doesNotContain(cloud.token);
        assertThat(text).as("the wrong token in " + where).doesNotContain(wrongToken);
    }

    private Path privateFile(String name, String content) throws Exception {
        Path file = Files.createFile(dir.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content + "\n");
        return file;
    }
}
