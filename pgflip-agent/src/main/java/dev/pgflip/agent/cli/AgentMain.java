package dev.pgflip.agent.cli;

import picocli.CommandLine;

/** Entry point of the agent alone (what a database node runs in production). */
public final class AgentMain {
    private AgentMain() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared with the lab launcher so both behave the same. */
    public static CommandLine commandLine() {
        return new CommandLine(new PgflipCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new FailureHandler());
    }
}
