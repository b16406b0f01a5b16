package dev.pgflip.agent.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SiblingFollowCommandTest {
    private static final Path CONF = Path.of("/etc/repmgr.conf");

    @Test
    void theStandbysOwnFollowCommandWithTheNewPrimarysIdForPercentN() {
        String conf = "node_id=4\nfollow_command='/usr/bin/pgflip follow --config /etc/pgflip/agent.yaml"
                + " --upstream-node-id=%n'\n";

        SiblingFollowCommand follow = SiblingFollowCommand.from(conf, CONF, 2).orElseThrow();

        assertThat(follow.command()).isEqualTo("/usr/bin/pgflip follow --config /etc/pgflip/agent.yaml"
                + " --upstream-node-id=2");
        assertThat(follow.copyToProgram()).isEqualTo("COPY (SELECT 1) TO PROGRAM '/usr/bin/pgflip follow --config"
                + " /etc/pgflip/agent.yaml --upstream-node-id=2'");
    }

    @Test
    void quotesInTheCommandAreDoubledForTheStatementAndNoCommandIsEmpty() {
        String conf = "follow_command='repmgr standby follow -f /etc/repmgr.conf --log-to-file --upstream-node-id=%n"
                + " # it''s ours'\n";

        assertThat(SiblingFollowCommand.from(conf, CONF, 7).orElseThrow().copyToProgram())
                .contains("--upstream-node-id=7").contains("it''s ours");
        assertThat(SiblingFollowCommand.from("node_id=4\n", CONF, 2)).isEmpty();
        assertThat(SiblingFollowCommand.from("follow_command=''\n", CONF, 2)).isEmpty();
    }
}
