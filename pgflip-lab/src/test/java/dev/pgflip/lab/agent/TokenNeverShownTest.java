package dev.pgflip.lab.agent;

import static dev.pgflip.lab.agent.EmulatedCloud.THIS_DROPLET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.digitalocean.TokenSource;
import dev.pgflip.agent.promote.PromoteHook;
import dev.pgflip.agent.promote.PromoteReport;
import dev.pgflip.lab.emulator.FaultInjector;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API token must never show: not in stdout, stderr, log lines, the events log, or the messages and stack
 * traces of the exceptions the agent ends with, on success or on any failure path. {@link EmulatedCloud#pgflip}
 * checks each run; this test walks through every kind of run and checks the whole transcript once more.
 */
class TokenNeverShownTest extends AgainstTheEmulator {
    @Test
    void tokenNeverAppearsInAnyOutputLogOrEventOfSuccessfulAndFailedRuns() throws Exception {
        String config = cloud.config().deadline("2s").write();
        List<AgentRun> runs = new ArrayList<>();

        runs.add(cloud.pgflip("flip", "status", "--config", config));
        runs.add(cloud.pgflip("flip", "status", "--config", config, "-o", "json"));
        cloud.faults().failNext(429, 1);
        runs.add(cloud.pgflip("promote", "--config", config, "--skip-promote"));
        runs.add(cloud.pgflip("event", "--config", config, "2", "standby_promote", "1", "2026-11-27 10:00:00",
                "server 2 promoted"));
        cloud.faults().failNext(500, FaultInjector.UNTIL_CLEARED);
        runs.add(cloud.pgflip("flip", "unassign", "--wait", "--config", config, "--timeout", "1s"));
        cloud.faults().clear();
        cloud.mover.failNext(FlakyMover.ALWAYS);
        runs.add(cloud.pgflip("flip", "assign", "1001", "--wait", "--config", config));
        cloud.mover.failNext(0);
        cloud.faults().refuseConnections(java.time.Duration.ofMillis(300));
        runs.add(cloud.pgflip("flip", "status", "--config", config, "--timeout", "200ms"));

        assertThat(runs).extracting(AgentRun::exitCode).containsExactly(0, 0, 0, 0, 3, 3, 3);
        assertThat(cloud.eventsLogText()).contains("standby_promote");
        for (AgentRun run : runs) {
            cloud.assertTokenNeverShownIn(run.everythingShown(), "transcript");
        }
        cloud.assertTokenNeverShownIn(cloud.eventsLogText(), "events log");
    }

    @Test
    void tokenFromTheEnvironmentNeverAppearsInTheExceptionOfAFailedHook() throws Exception {
        String config = cloud.config().deadline("1s").tokenFile(null).write();
        cloud.faults().failNext(500, FaultInjector.UNTIL_CLEARED);

        PgflipException failure = catchThrowableOfType(
                () -> PromoteHook.run(Path.of(config), true, Map.of(TokenSource.ENV, cloud.token)), PgflipException.class);

        assertThat(failure).isNotNull();
        assertThat(failure.exitCode().code()).isEqualTo(3);
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        cloud.assertTokenNeverShownIn(trace.toString(), "stack trace of the hook's failure");
    }

    @Test
    void tokenFromTheEnvironmentMovesTheIpAndStaysOutOfTheReport() throws Exception {
        String config = cloud.config().tokenFile(null).write();

        PromoteReport report = PromoteHook.run(Path.of(config), true, Map.of(TokenSource.ENV, cloud.token));

        assertThat(report.flip().target().dropletId()).hasValue(THIS_DROPLET);
        assertThat(cloud.holder()).hasValue(THIS_DROPLET);
        cloud.assertTokenNeverShownIn(report.toString(), "promote report");
    }
}
