package dev.pgflip.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pgflip follow} as repmgrd calls it: its arguments, its help, and the usage errors found before any node. */
class FollowCommandTest {
    @TempDir
    Path dir;

    static FollowCommand parsed(String... args) {
        FollowCommand command = new FollowCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void theNodeIdIsTakenInBothOfPicocliSpellingsAsRepmgrSubstitutesIt() {
        assertThat(FollowCommand.nodeId(parsed("--config", "/etc/pgflip/agent.yaml", "--upstream-node-id=2")
                .upstreamNodeId)).isEqualTo(2);
        assertThat(FollowCommand.nodeId(parsed("--config", "/etc/pgflip/agent.yaml", "--upstream-node-id", "12")
                .upstreamNodeId)).isEqualTo(12);
        assertThat(parsed("-c", "/etc/pgflip/agent.yaml", "--upstream-node-id=2").wait).isEqualTo("30s");
    }

    @Test
    void anythingButAPositiveNodeIdIsAUsageErrorThatExplainsPercentN() {
        for (String bad : List.of("%n", "", "0", "-1", "n2", "2x", "99999999999")) {
            assertThatThrownBy(() -> FollowCommand.nodeId(bad)).as(bad)
                    .isInstanceOfSatisfying(PgflipException.class,
                            e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                    .hasMessageContaining("is not a node id")
                    .hasMessageContaining("--upstream-node-id=%n, which repmgrd replaces with the new primary's");
        }
    }

    @Test
    void aLiteralPercentNFromALineRunOutsideRepmgrdIsExit2WithOneLine() {
        CliRun run = CliRun.of("follow", "--config", "/nonexistent/agent.yaml", "--upstream-node-id=%n");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.errLine()).startsWith("pgflip follow: --upstream-node-id \"%n\" is not a node id");
    }

    @Test
    void withoutTheNodeIdPicocliRefusesTheCommandLine() {
        CliRun run = CliRun.of("follow", "--config", "/etc/pgflip/agent.yaml");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--upstream-node-id=N'");
    }

    @Test
    void aBadWaitIsAUsageErrorNamingTheOption() {
        CliRun run = CliRun.of("follow", "--config", "/nonexistent/agent.yaml", "--upstream-node-id=2", "--wait", "0s");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.errLine()).contains("--wait \"0s\" must be longer than 0");
    }

    @Test
    void aConfigWithoutTheRejoinSectionIsExit2NamingTheKeysToAdd() throws Exception {
        Path config = Files.writeString(dir.resolve("agent.yaml"), String.join("\n",
                "node: {name: n3, database: {host: 127.0.0.1, port: 5432, dbname: repmgr, user: repmgr}}",
                "events: {log_file: " + dir.resolve("events.jsonl") + "}", ""));

        CliRun run = CliRun.of("follow", "--config", config.toString(), "--upstream-node-id", "2");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.errLine()).contains("rejoin: missing section, required for pgflip follow")
                .contains("rejoin.repmgr_conf").contains("rejoin.repmgr ").contains("rejoin.config_archive_dir");
        assertThat(dir.resolve("events.jsonl")).as("nothing was tried, so nothing is recorded").doesNotExist();
    }

    @Test
    void helpShowsTheFollowCommandLineForRepmgrAndTheExitCodes() {
        CliRun run = CliRun.of("follow", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains(
                "  follow_command='pgflip follow --config FILE --upstream-node-id=%n'\n");
        String help = run.out().replaceAll("\\s+", " ");
        assertThat(help).contains("pg_is_in_recovery() false and transaction_read_only off")
                .contains("repmgr standby follow -f REPMGR_CONF --log-to-file --upstream-node-id=N")
                .contains("Exit codes:")
                .contains("0 this node follows node N")
                .contains("1 N did not answer as a writable primary within --wait")
                .contains("2 configuration or usage error")
                .contains("repmgrd passes the new primary's as %n")
                .contains("Default: 30s");
    }

    @Test
    void theTopLevelHelpListsFollowWithItsOneLineSummary() {
        CliRun run = CliRun.of("--help");

        assertThat(run.out()).containsPattern("(?m)^  follow +Make this standby follow the new primary once it is"
                + " writable\\.$");
        assertThat(run.out()).contains("its follow_command 'pgflip follow'");
    }
}
