package dev.pgflip.lab.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs lab commands ({@code ip}, {@code pg_ctl}, {@code repmgr} …) as argument lists, never through a shell, each
 * bounded by a timeout. Output goes to a temp file rather than a pipe: a daemon started by the command (pg_ctl's
 * postmaster) inherits the descriptors and would otherwise keep the pipe open and hang the reader.
 */
public final class Commands {
    private static final Logger log = LoggerFactory.getLogger(Commands.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Map<String, String> environment;

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

    /** Runs the command and reports how it went, for commands whose failure is an expected answer. */
    public CommandResult attempt(List<String> argv, Duration timeout) {
        Path output = null;
        try {
            output = Files.createTempFile("pgflip-cmd", ".out");
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(environment);
            log.debug("run {}", argv);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new CommandResult(-1, Files.readString(output, StandardCharsets.UTF_8));
            }
            return new CommandResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CommandFailedException(argv, 127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException(argv, -1, "interrupted");
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless and the command's own result matters more
                }
            }
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
