package dev.pgflip.agent.cli;

import dev.pgflip.agent.PgflipException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception escaping a command into exactly one stderr line ({@code pgflip <command>: <what failed and
 * what to do>}) and the matching exit code. repmgrd logs that line.
 */
final class FailureHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        String name = cmd.getCommandSpec().qualifiedName();
        if (e instanceof PgflipException) {
            cmd.getErr().println(name + ": " + e.getMessage());
            return ((PgflipException) e).exitCode().code();
        }
        // Unexpected: still one line, with the type so it can be found in the code.
        cmd.getErr().println(name + ": internal error " + e.getClass().getName() + ": " + e.getMessage());
        return 1;
    }
}
