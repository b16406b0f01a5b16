package dev.pgflip.lab.process;

import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs lab commands ({@code ip}, {@code pg_ctl}, {@code repmgr} …) as argument lists, never through a shell, each
 * bounded by a timeout, with the lab's environment (PGPASSFILE); daemons are started detached in their own session.
 */
public final class Commands {
    private static final Logger log = LoggerFactory.getLogger(Commands.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, String> environment;
    private final ProcessRunner runner = new ProcessRunner();

    public Commands(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Runs the command and throws {@link CommandFailedException} unless it exits 0. */
    public String run(List<String> argv) {
        return run(argv, DEFAULT_TIMEOUT);
    }

    public String run(List<String> argv, Duration timeout) {
        CommandResult result = attempt(argv, timeout);
        if (!result.succeeded()) {
            throw new CommandFailedException(argv, result.exitCode(), tail(result.output()));
        }
        return result.output();
    }

    /** Runs independent commands at the same time and waits for all; each result is an expected answer, not an error. */
    public List<CommandResult> attemptAll(List<List<String>> commands, Duration timeout) {
        List<java.util.concurrent.CompletableFuture<CommandResult>> running = commands.stream()
                .map(argv -> java.util.concurrent.CompletableFuture.supplyAsync(() -> attempt(argv, timeout))).toList();
        return running.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    }

    /**
     * libpq's variables from the caller's shell (PGPASSWORD, PGHOST, PGUSER, … and those 'lab env' exports) must not
     * reach the lab's own processes: a PGPASSWORD for the application's user made 'repmgr primary register' and
     * 'repmgr node rejoin' fail with "password authentication failed for user repmgr" (seen, issue 14).
     */
    static boolean callersOwn(String variable) {
        return variable.startsWith("PG") || variable.startsWith("PGFLIP_") || variable.equals("DIGITALOCEAN_API_URL");
    }

    /** Runs the command and reports how it went, for commands whose failure is an expected answer. */
    public CommandResult attempt(List<String> argv, Duration timeout) {
        log.debug("run {}", argv);
        try {
            // The agent's runner: argument lists, output in temp files (a daemon started by the command, like
            // pg_ctl's postmaster, inherits the descriptors and would keep a pipe open), every wait bounded.
            ProcessResult result = runner.run(argv, environment, Commands::callersOwn, timeout);
            return new CommandResult(result.timedOut() ? -1 : result.exitCode(), result.stdout() + result.stderr());
        } catch (IOException e) {
            throw new CommandFailedException(argv, 127, e.getMessage());
        }
    }

    /**
     * Runs the command with our stdin, stdout and stderr, so its output is the user's, and returns its exit code; it is
     * killed after {@code timeout}.
     */
    public int runInForeground(List<String> argv, Duration timeout) {
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
            builder.environment().keySet().removeIf(Commands::callersOwn);
            builder.environment().putAll(environment);
            log.debug("run in foreground {}", argv);
            Process process = builder.start();
            if (!ProcessRunner.waitFor(process, timeout)) {
                process.destroyForcibly();
                throw new CommandFailedException(argv, -1, "did not finish within " + timeout.toSeconds() + " s");
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new CommandFailedException(argv, 127, e.getMessage());
        }
    }

    /**
     * Starts a long-running process detached into its own session (so a Ctrl-C of the lab command does not reach it)
     * with output appended to {@code logFile}; returns its PID. {@code setsid} execs rather than forks here because
     * our child is never a process-group leader, so the PID we get is the daemon's.
     */
    public long startDaemon(List<String> argv, Path logFile) {
        List<String> detached = new ArrayList<>();
        detached.add("setsid");
        detached.addAll(argv);
        try {
            ProcessBuilder builder = new ProcessBuilder(detached)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().keySet().removeIf(Commands::callersOwn);
            builder.environment().putAll(environment);
            log.debug("start {}", detached);
            return builder.start().pid();
        } catch (IOException e) {
            throw new CommandFailedException(detached, 127, e.getMessage());
        }
    }

    /** Starts a short-lived helper (arping) without waiting for it; its exit is reaped by the JDK. */
    public void startBackground(List<String> argv) {
        try {
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(environment);
            builder.start();
        } catch (IOException e) {
            throw new CommandFailedException(argv, 127, e.getMessage());
        }
    }

    static String tail(String output) {
        List<String> lines = output.strip().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
}
