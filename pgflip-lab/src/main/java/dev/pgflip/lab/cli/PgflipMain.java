package dev.pgflip.lab.cli;

import dev.pgflip.agent.cli.AgentMain;
import dev.pgflip.lab.LabException;
import picocli.CommandLine;

/** Entry point of the repository's {@code ./pgflip} launcher: the agent's commands plus the lab's. */
public final class PgflipMain {
    private PgflipMain() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = AgentMain.commandLine();
        LabDoctorCommand.mountOver(cli);
        cli.addSubcommand("lab", new LabCommand());
        cli.addSubcommand("drill", new DrillCommand());
        cli.addSubcommand("demo", new DemoCommand());
        CommandLine.IExecutionExceptionHandler agentHandler = cli.getExecutionExceptionHandler();
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof LabException || e instanceof java.io.UncheckedIOException) {
                commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + e.getMessage());
                return 1;
            }
            return agentHandler.handleExecutionException(e, commandLine, parseResult);
        });
        return cli;
    }
}
