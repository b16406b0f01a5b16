package dev.pgflip.lab.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.pgflip.agent.cli.AgentMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * One run of the real {@code pgflip} command line in-process, with everything it could print captured: the
 * command's own stdout/stderr writers, {@code System.out}/{@code System.err} (where logback's console appender
 * writes), every logging event of the root logger at DEBUG with its throwables, and the exception that ended the
 * command, if one did.
 *
 * @param log       System.out and System.err of the run (the log lines as repmgrd would see them)
 * @param events    each logging event rendered as message plus the whole chain of its throwable
 * @param failure   the exception the command ended with (already turned into {@code err} and the exit code)
 */
record AgentRun(int exitCode, String out, String err, String log, List<String> events, Optional<Exception> failure,
                Duration took) {

    static AgentRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream system = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level oldLevel = root.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.DEBUG);
        Exception[] failure = new Exception[1];
        PrintStream capture = new PrintStream(system, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        System.setOut(capture);
        long start = System.nanoTime();
        int code;
        try {
            CommandLine cli = AgentMain.commandLine();
            CommandLine.IExecutionExceptionHandler handler = cli.getExecutionExceptionHandler();
            cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
                failure[0] = e;
                return handler.handleExecutionException(e, cmd, parsed);
            });
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            code = cli.execute(args);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
            root.setLevel(oldLevel);
            root.detachAppender(appender);
            appender.stop();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        List<String> events = new ArrayList<>();
        synchronized (appender) {
            appender.list.forEach(e -> events.add(render(e)));
        }
        AgentRun run = new AgentRun(code, out.toString(), err.toString(), system.toString(StandardCharsets.UTF_8),
                List.copyOf(events), Optional.ofNullable(failure[0]), took);
        // Echo for the surefire report, so a failing test shows what the agent said.
        oldErr.print(run.describe());
        return run;
    }

    /** The command's own stderr, which must be exactly one line on failure. */
    String errLine() {
        String[] lines = err.strip().split("\\R");
        if (err.isBlank() || lines.length != 1) {
            throw new AssertionError("expected exactly one stderr line, got:\n" + err);
        }
        return lines[0];
    }

    /** Everything the run showed or carried: outputs, logs, and the messages of the failure and its causes. */
    String everythingShown() {
        StringBuilder all = new StringBuilder().append(out).append('\n').append(err).append('\n').append(log);
        events.forEach(e -> all.append('\n').append(e));
        failure.ifPresent(f -> all.append('\n').append(chain(f)));
        return all.toString();
    }

    String describe() {
        return "---- pgflip run: exit=" + exitCode + " took=" + took.toMillis() + "ms\nout: " + out + "\nerr: " + err
                + "\nlog:\n" + log;
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String render(ILoggingEvent e) {
        StringBuilder s = new StringBuilder(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            s.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        return s.toString();
    }

    private static String chain(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            StringWriter trace = new StringWriter();
            c.printStackTrace(new PrintWriter(trace));
            s.append(c).append('\n').append(trace);
            for (Throwable suppressed : c.getSuppressed()) {
                s.append(suppressed).append('\n');
            }
        }
        return s.toString();
    }
}
