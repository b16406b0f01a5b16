package dev.pgflip.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.cli.AgentMain;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * 'pgflip --help' lists each command by the first line of its description; that line must stand alone. A first
 * sentence that runs on into the next line shows up cut: "drill  Measure failovers on the lab (which must be up:
 * ./pgflip lab up) under a".
 */
class CommandSummaryTest {

    @Test
    void everyCommandOfTheLauncherHasAOneLineSentenceAsItsSummary() {
        assertThat(CommandSummaries.problems(PgflipMain.commandLine())).isEmpty();
    }

    @Test
    void everyCommandOfTheAgentAloneHasAOneLineSentenceAsItsSummary() {
        assertThat(CommandSummaries.problems(AgentMain.commandLine())).isEmpty();
    }

    @Test
    void aSummaryCutMidSentenceOrTooWideIsNamedWithItsCommand() {
        CommandLine root = new CommandLine(new Root()).addSubcommand(new Cut()).addSubcommand(new TooWide())
                .addSubcommand(new Open());

        assertThat(CommandSummaries.problems(root)).containsExactly(
                "root: \"root of the fixture\" does not start with a capital letter",
                "root: \"root of the fixture\" does not end with a full stop",
                "root cut: wraps in the command list of 'root --help'",
                "root cut: \"Measure failovers on the lab (which must be up: ./pgflip lab up) under a\" does not end"
                        + " with a full stop",
                "root too-wide: wraps in the command list of 'root --help'",
                "root open: \"Undo a fault (freeze or link-down.\" leaves a parenthesis open or closes one never"
                        + " opened");
    }

    @Command(name = "root", description = {"root of the fixture", "and its second line."})
    static final class Root implements Runnable {
        @Override
        public void run() {}
    }

    @Command(name = "cut", description = {"Measure failovers on the lab (which must be up: ./pgflip lab up) under a",
        "steady load."})
    static final class Cut implements Runnable {
        @Override
        public void run() {}
    }

    @Command(name = "too-wide",
            description = "Show every node's role, the floating IP's holder and what the API says about all of it.")
    static final class TooWide implements Runnable {
        @Override
        public void run() {}
    }

    @Command(name = "open", description = {"Undo a fault (freeze or link-down.", "Or both)."})
    static final class Open implements Runnable {
        @Override
        public void run() {}
    }
}
