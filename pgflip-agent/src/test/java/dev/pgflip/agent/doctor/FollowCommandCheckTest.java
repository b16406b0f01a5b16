package dev.pgflip.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.repmgr.RepmgrConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the doctor says about follow_command: pgflip's with %n passes, repmgr's own is advice, a broken one fails. */
class FollowCommandCheckTest {
    static final Path CONFIG = Path.of("/etc/pgflip/agent.yaml");

    @TempDir
    Path dir;
    Path pgflip;

    @BeforeEach
    void setUp() throws Exception {
        pgflip = dir.resolve("pgflip");
        Files.writeString(pgflip, "#!/bin/sh\n");
        Files.setPosixFilePermissions(pgflip, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Optional<AgentConfig> agent(boolean withRejoin) throws Exception {
        Path conf = Files.writeString(dir.resolve("repmgr.conf"), "node_id=3\n");
        return Optional.of(AgentConfigLoader.parse(String.join("\n",
                "node: {name: n3, database: {host: 127.0.0.1, dbname: repmgr, user: repmgr}}",
                "flip: {ip: 198.18.0.100, provider: exec}",
                "exec: {command: [/bin/true]}",
                withRejoin ? "rejoin: {repmgr_conf: " + conf + ", config_archive_dir: /tmp/archive}" : "",
                ""), "test", ConfigPurpose.DOCTOR));
    }

    CheckResult check(Optional<AgentConfig> agent, String... lines) {
        RepmgrConf conf = RepmgrConf.parse(String.join("\n", lines) + "\n", Path.of("/etc/repmgr.conf"));
        return new FollowCommandCheck(agent, CONFIG, Map.of()).run(conf);
    }

    @Test
    void pgflipFollowWithPercentNPasses() throws Exception {
        CheckResult result = check(agent(true), "failover=automatic",
                "follow_command='" + pgflip + " follow --config /etc/pgflip/agent.yaml --upstream-node-id=%n'");

        assertThat(result.status()).as(result.toString()).isEqualTo(CheckStatus.OK);
        assertThat(result.check()).isEqualTo("follow_command");
        assertThat(result.message()).startsWith("follow_command runs pgflip follow: ");
    }

    @Test
    void pgflipFollowWithoutPercentNFailsForItCannotKnowWhichNodeToFollow() throws Exception {
        CheckResult result = check(agent(true), "failover=automatic",
                "follow_command='" + pgflip + " follow --config /etc/pgflip/agent.yaml'");

        assertThat(result.failed()).isTrue();
        assertThat(result.message()).contains("without %n");
        assertThat(result.fix()).hasValue("set follow_command='/usr/bin/pgflip follow --config /etc/pgflip/agent.yaml"
                + " --upstream-node-id=%n' in /etc/repmgr.conf");
    }

    @Test
    void repmgrsOwnFollowIsAdviceNotAFailureAndWarnsWhenItLacksPercentN() throws Exception {
        CheckResult withNode = check(agent(true), "failover=automatic",
                "follow_command='/usr/bin/repmgr standby follow -f /etc/repmgr.conf --log-to-file --upstream-node-id=%n'");
        CheckResult withoutNode = check(agent(true), "failover=automatic",
                "follow_command='/usr/bin/repmgr standby follow -f /etc/repmgr.conf --log-to-file'");

        assertThat(withNode.status()).isEqualTo(CheckStatus.INFO);
        assertThat(withNode.message()).contains("not pgflip follow").contains("fenced read-only")
                .contains("follow_command='/usr/bin/pgflip follow --config /etc/pgflip/agent.yaml --upstream-node-id=%n'")
                .doesNotContain("no %n");
        assertThat(withoutNode.status()).isEqualTo(CheckStatus.INFO);
        assertThat(withoutNode.message()).contains("no %n: not necessarily the one repmgrd chose");
    }

    @Test
    void aMissingFollowCommandFailsOnlyWithAutomaticFailover() throws Exception {
        CheckResult automatic = check(agent(true), "failover=automatic");
        CheckResult manual = check(agent(true), "failover=manual");

        assertThat(automatic.failed()).isTrue();
        assertThat(automatic.message()).contains("repmgrd refuses to start without it");
        assertThat(automatic.fix()).hasValueSatisfying(f -> assertThat(f).startsWith("add follow_command='"));
        assertThat(manual.status()).isEqualTo(CheckStatus.INFO);
    }

    @Test
    void pgflipFollowFailsWhenItCannotStartOrTheAgentLacksTheRejoinSection() throws Exception {
        CheckResult gone = check(agent(true), "follow_command='" + dir.resolve("gone/pgflip")
                + " follow --config /etc/pgflip/agent.yaml --upstream-node-id=%n'");
        CheckResult noRejoin = check(agent(false),
                "follow_command='" + pgflip + " follow --config /etc/pgflip/agent.yaml --upstream-node-id=%n'");

        assertThat(gone.failed()).isTrue();
        assertThat(gone.message()).contains("does not exist or is not executable");
        assertThat(noRejoin.failed()).isTrue();
        assertThat(noRejoin.message()).contains("needs the rejoin section of /etc/pgflip/agent.yaml");
        assertThat(noRejoin.fix()).hasValueSatisfying(f -> assertThat(f).contains("rejoin: {repmgr_conf: /etc/repmgr.conf"));
    }
}
