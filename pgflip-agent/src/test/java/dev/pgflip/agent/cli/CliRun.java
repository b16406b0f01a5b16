package dev.pgflip.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the real command line in-process, capturing stdout, stderr and the exit code (logs included). */
record CliRun(int exitCode, String out, String err, String log) {

    static CliRun of(String... args) {
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
            CommandLine cli = AgentMain.commandLine();
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
