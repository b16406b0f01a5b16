package dev.pgflip.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Runs the real command line in-process, capturing stdout, stderr and the exit code (logs included). */
record CliRun(int exitCode, String out, String err, String log) {

    /** As {@code main} runs it ({@link AgentMain#commandLineFor}). */
    static CliRun of(String... args) {
        return run(() -> AgentMain.commandLineFor(args), args);
    }

    /** Through the whole command tree, whatever the subcommand. */
    static CliRun throughWholeTree(String... args) {
        return run(AgentMain::commandLine, args);
    }

    /** The command line is made once the streams are redirected: a command's logger binds to them when it is made. */
    private static CliRun run(Supplier<CommandLine> commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
        ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        int code;
        System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(systemOut, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = commandLine.get();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            code = cli.execute(args);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        return new CliRun(code, out + systemOut.toString(StandardCharsets.UTF_8), err.toString(), systemErr.toString(StandardCharsets.UTF_8));
    }

    /** The command's own stderr (log output is separate): exactly one line on failure. */
    String errLine() {
        String[] lines = err.strip().split("\\R");
        if (lines.length != 1) {
            throw new AssertionError("expected exactly one stderr line, got: " + err);
        }
        return lines[0];
    }

    @Override
    public String toString() {
        return "exit=" + exitCode + "\nout=" + out + "\nerr=" + err + "\nlog=" + log;
    }
}
