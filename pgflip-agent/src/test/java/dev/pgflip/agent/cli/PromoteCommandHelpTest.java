package dev.pgflip.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code pgflip promote --help} is where an operator learns what each exit status means for repmgr. */
class PromoteCommandHelpTest {

    @Test
    void helpSaysAPrimaryExitsZeroEvenWhenTheIpCouldNotMoveAndWhereToLook() {
        CliRun run = CliRun.of("promote", "--help");

        assertThat(run.exitCode()).isZero();
        String help = run.out().replaceAll("\\s+", " ");
        assertThat(help)
                .contains("the exit status says so (0) even when the IP could not be moved")
                .contains("PROMOTION_FAILED")
                .contains("pgflip_flip_deferred")
                .contains("'pgflip watch' on this node moves the IP once it can")
                .contains("0 the node is primary; the floating IP is verified on it, or its move was deferred")
                .contains("3 --skip-promote only")
                .contains("4 --skip-promote only");
    }
}
