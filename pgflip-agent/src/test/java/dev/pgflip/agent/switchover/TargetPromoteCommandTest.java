package dev.pgflip.agent.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The target's promote_command, and the statement that runs it there. */
class TargetPromoteCommandTest {

    @Test
    void pgflipPromotesFenceRecordIsItsThirdArgumentElseBesideRepmgrConf() {
        TargetPromoteCommand given = TargetPromoteCommand.from("node_id=2\npromote_command='/usr/bin/pgflip-promote /etc/repmgr.conf"
                + " /etc/pgflip/agent.yaml /var/lib/pgflip/fence.state'\n", Path.of("/etc/repmgr.conf")).orElseThrow();
        assertThat(given.fenceRecord()).contains(Path.of("/var/lib/pgflip/fence.state"));
        assertThat(given.command()).isEqualTo("/usr/bin/pgflip-promote /etc/repmgr.conf /etc/pgflip/agent.yaml"
                + " /var/lib/pgflip/fence.state");
        assertThat(TargetPromoteCommand.of("/usr/bin/pgflip-promote /tmp/lab/n2/repmgr.conf /etc/pgflip/agent.yaml")
                .fenceRecord()).contains(Path.of("/tmp/lab/n2/fence.state"));
        assertThat(TargetPromoteCommand.of("repmgr standby promote -f /etc/repmgr.conf").fenceRecord()).isEmpty();
    }

    @Test
    void noPromoteCommandIsNoHook() {
        assertThat(TargetPromoteCommand.from("node_id=2\n", Path.of("/etc/repmgr.conf"))).isEqualTo(Optional.empty());
    }

    @Test
    void quotesInTheCommandAreDoubledInTheStatement() {
        assertThat(TargetPromoteCommand.of("/bin/echo 'it''s'").copyToProgram())
                .isEqualTo("COPY (SELECT 1) TO PROGRAM '/bin/echo ''it''''s'''");
    }
}
