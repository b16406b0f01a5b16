package dev.pgflip.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepmgrConfChecksTest {
    static final Path CONFIG = Path.of("/etc/pgflip/pgflip.yaml");

    @TempDir
    Path dir;
    Path pgflip;
    Path conf;
    DoctorReport report = new DoctorReport();

    @BeforeEach
    void setUp() throws Exception {
        pgflip = dir.resolve("pgflip");
        Files.writeString(pgflip, "#!/bin/sh\n");
        Files.setPosixFilePermissions(pgflip, PosixFilePermissions.fromString("rwxr-xr-x"));
        conf = dir.resolve("repmgr.conf");
    }

    void write(String... extra) throws Exception {
        Files.writeString(conf, String.join("\n",
                "node_id=2",
                "node_name='n2'",
                "conninfo='host=198.18.0.12 user=repmgr dbname=repmgr'",
                "data_directory='/var/lib/postgresql/15/main'",
                String.join("\n", extra), ""));
    }

    static Optional<AgentConfig> agent(String name) {
        return Optional.of(AgentConfigLoader.parse(String.join("\n",
                "node: {name: " + name + ", database: {host: 127.0.0.1, dbname: repmgr, user: repmgr}}",
                "flip: {ip: 198.18.0.100, provider: exec}",
                "exec: {command: [/bin/true]}", ""), "test", ConfigPurpose.DOCTOR));
    }

    /** As {@link #agent}, with the rejoin section pgflip follow needs. */
    Optional<AgentConfig> agentWithRejoin(String name) {
        return Optional.of(AgentConfigLoader.parse(String.join("\n",
                "node: {name: " + name + ", database: {host: 127.0.0.1, dbname: repmgr, user: repmgr}}",
                "flip: {ip: 198.18.0.100, provider: exec}",
                "exec: {command: [/bin/true]}",
                "rejoin: {repmgr_conf: " + conf + ", config_archive_dir: /tmp/archive}", ""), "test",
                ConfigPurpose.DOCTOR));
    }

    CheckResult result(String check) {
        return report.results().stream().filter(r -> r.check().equals(check)).findFirst().orElseThrow();
    }

    void run(Optional<AgentConfig> agent) {
        new RepmgrConfChecks(Optional.of(conf), agent, CONFIG, Map.of()).run(report);
    }

    @Test
    void aNodeSetUpForPgflipPassesEveryLine() throws Exception {
        write("failover=automatic",
                "promote_command='" + pgflip + " promote --config /etc/pgflip/pgflip.yaml'",
                "follow_command='" + pgflip + " follow --config /etc/pgflip/pgflip.yaml --upstream-node-id=%n'",
                "event_notification_command='" + pgflip + " event --config /etc/pgflip/pgflip.yaml %n %e %s \"%t\" \"%d\"'");

        run(agentWithRejoin("n2"));

        assertThat(report.results()).extracting(CheckResult::check)
                .containsExactly("repmgr_conf", "failover", "visibility_consensus", "promote_command", "follow_command",
                        "event_notification_command");
        assertThat(report.failures()).as(report.results().toString()).isZero();
        assertThat(result("repmgr_conf").message()).contains("node_id=2, node_name=n2");
    }

    @Test
    void repmgrsOwnPromoteCommandFailsAndTheFixShowsThePgflipLine() throws Exception {
        write("failover=automatic",
                "promote_command='/usr/bin/repmgr standby promote -f /etc/repmgr.conf --log-to-file'",
                "follow_command='/usr/bin/repmgr standby follow -f /etc/repmgr.conf --log-to-file --upstream-node-id=%n'",
                "event_notification_command='" + pgflip + " event %n %e %s \"%t\" \"%d\"'");

        run(agent("n2"));

        assertThat(result("promote_command").failed()).isTrue();
        assertThat(result("promote_command").message()).contains("does not run pgflip promote");
        assertThat(result("promote_command").fix()).hasValueSatisfying(f ->
                assertThat(f).contains("promote_command='/usr/bin/pgflip-promote /etc/repmgr.conf " + CONFIG
                        + " /var/lib/pgflip/fence.state'"));
        assertThat(report.failures()).isEqualTo(1);
    }

    @Test
    void missingHooksAManualFailoverAndAMissingProgramFail() throws Exception {
        write("promote_command='" + dir.resolve("gone/pgflip") + " promote'");

        run(agent("n2"));

        assertThat(result("failover").failed()).isTrue();
        assertThat(result("failover").message()).contains("'manual' (the default)");
        assertThat(result("promote_command").message()).contains("does not exist");
        assertThat(result("event_notification_command").message()).contains("is not set");
        assertThat(report.failures()).isEqualTo(3);
    }

    @Test
    void aNodeNameOtherThanTheAgentsFails() throws Exception {
        write("failover=automatic");

        run(agent("n1"));

        assertThat(result("repmgr_conf").failed()).isTrue();
        assertThat(result("repmgr_conf").fix()).hasValueSatisfying(f -> assertThat(f).contains("node.name: n2"));
    }

    @Test
    void syntaxErrorsAndMissingKeysFail() throws Exception {
        Files.writeString(conf, "node_id=2\ndata_directory=/var/lib/x\n");

        run(Optional.empty());

        assertThat(result("repmgr_conf").failed()).isTrue();
        assertThat(result("repmgr_conf").message()).contains("line 2");
    }

    @Test
    void aMissingFileSkipsTheLinesThatNeedIt() {
        new RepmgrConfChecks(Optional.of(dir.resolve("absent.conf")), Optional.empty(), CONFIG, Map.of()).run(report);

        assertThat(result("repmgr_conf").failed()).isTrue();
        assertThat(result("repmgr_conf").message()).contains("not found").contains("--repmgr-config");
        assertThat(result("promote_command").status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(report.failures()).isEqualTo(1);
    }

    @Test
    void repmgrsVisibilityConsensusFailsBecauseAKilledPrimaryIsThenNeverFailedOver() {
        CheckResult on = RepmgrConfChecks.visibilityConsensus(dev.pgflip.agent.repmgr.RepmgrConf.parse(
                "primary_visibility_consensus=true\nmonitor_interval_secs=1\n", java.nio.file.Path.of("/etc/repmgr.conf")));
        assertThat(on.failed()).isTrue();
        assertThat(on.message()).contains("1 s here").contains("never runs it again");
        assertThat(on.fix()).hasValueSatisfying(f -> assertThat(f).contains("primary_visibility_consensus=false"));
        CheckResult off = RepmgrConfChecks.visibilityConsensus(dev.pgflip.agent.repmgr.RepmgrConf.parse(
                "primary_visibility_consensus=false\n", java.nio.file.Path.of("/etc/repmgr.conf")));
        assertThat(off.failed()).isFalse();
    }
}
