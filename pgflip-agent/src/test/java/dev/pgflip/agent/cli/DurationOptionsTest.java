package dev.pgflip.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.PgflipException;
import dev.pgflip.common.DurationText;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options that take durations read them with pgflip-common's grammar, and their --help lists its forms. */
class DurationOptionsTest {

    @Test
    void flipTimeoutTakesTheSharedGrammarAndNamesTheOptionWhenWrong() {
        assertThat(flipStatusTimeout("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThat(flipStatusTimeout("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(flipStatusTimeout("500")).as("a plain number: milliseconds").isEqualTo(Duration.ofMillis(500));

        CliRun run = CliRun.of("flip", "status", "--config", "/nonexistent/agent.yaml", "--timeout", "soon");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--timeout = 'soon': not a duration; expected " + DurationText.FORMS);
    }

    @Test
    void switchoverWaitsTakeTheSharedGrammarAndAreCheckedBeforeTheConfiguration() {
        CliRun run = CliRun.of("switchover", "--to", "n2", "--config", "/nonexistent/agent.yaml", "--drain-wait",
                "soon");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--drain-wait = 'soon': not a duration; expected " + DurationText.FORMS);
    }

    private static Duration flipStatusTimeout(String text) {
        CommandLine.ParseResult parsed = AgentMain.commandLine().parseArgs("flip", "status", "--config", "agent.yaml",
                "--timeout", text);
        FlipStatusCommand status = (FlipStatusCommand) parsed.subcommand().subcommand().commandSpec().userObject();
        return status.options.timeout;
    }

    @Test
    void watchIntervalsTakeTheSharedGrammarLongerThanZero() {
        assertThat(WatchCommand.duration("--interval", "250000us")).isEqualTo(Duration.ofMillis(250));
        assertThat(WatchCommand.duration("--reconcile", "pt5s")).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> WatchCommand.duration("--interval", "-1s")).isInstanceOf(PgflipException.class)
                .hasMessage("--interval = '-1s': negative; expected " + DurationText.FORMS);
        assertThatThrownBy(() -> WatchCommand.duration("--reconcile", "0")).isInstanceOf(PgflipException.class)
                .hasMessage("--reconcile \"0\" must be longer than 0");
    }

    @Test
    void helpListsTheForms() {
        for (String[] command : new String[][] {{"flip", "status", "--help"}, {"flip", "assign", "--help"},
                {"flip", "unassign", "--help"}, {"watch", "--help"}}) {
            CliRun run = CliRun.of(command);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out().replaceAll("\\s+", " ")).as(String.join(" ", command)).contains(DurationText.FORMS);
        }
    }
}
