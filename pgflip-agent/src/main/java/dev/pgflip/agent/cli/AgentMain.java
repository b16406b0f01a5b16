package dev.pgflip.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Entry point of the agent alone (what a database node runs in production). */
public final class AgentMain {
    private AgentMain() {}

    public static void main(String[] args) {
        System.exit(commandLineFor(args).execute(args));
    }

    /** The configured command line, shared with the lab launcher so both behave the same. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new PgflipCommand()));
    }

    /**
     * The command line that runs {@code args}: for {@code pgflip event} a {@code pgflip} that knows that subcommand
     * alone. repmgr starts a JVM for every event, several at once when it fails over, beside the promote hook: the
     * whole tree is every subcommand's model built by reflection, and picocli's classes (compiled for Java 5) stay
     * out of the class-data archive, so that was about a third of each event's CPU on the lab. Parsing and output are
     * the same ({@code CommandLineTest.theEventCommandAloneParsesAndAnswersAsTheWholeTreeDoes}).
     */
    static CommandLine commandLineFor(String[] args) {
        if (args.length == 0 || !"event".equals(args[0])) {
            return commandLine();
        }
        CommandSpec pgflip = CommandSpec.create().name("pgflip").versionProvider(new PgflipVersion())
                .mixinStandardHelpOptions(true);
        return configure(new CommandLine(pgflip).addSubcommand(new CommandLine(new EventCommand())));
    }

    private static CommandLine configure(CommandLine cli) {
        return cli.setCaseInsensitiveEnumValuesAllowed(true).setExecutionExceptionHandler(new FailureHandler());
    }
}
