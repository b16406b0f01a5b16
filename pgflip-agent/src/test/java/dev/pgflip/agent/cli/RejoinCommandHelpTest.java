package dev.pgflip.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code pgflip rejoin --help} tells the operator which way the rewind may go and that there is no override. */
class RejoinCommandHelpTest {

    @Test
    void helpSaysTheSourceMustBeAPrimaryOnANewerTimelineAndThatNothingOverridesIt() {
        CliRun run = CliRun.of("rejoin", "--help");

        assertThat(run.exitCode()).isZero();
        String help = run.out().replaceAll("\\s+", " ");
        assertThat(help)
                .contains("only if it is a primary on a newer timeline than this node's")
                .contains("pg_controldata -D data_directory")
                .contains("There is no override")
                .contains("2 configuration error, the node still runs as a primary, its timeline cannot be read, or the"
                        + " floating IP leads to a primary that is not on a newer timeline than this node");
    }
}
