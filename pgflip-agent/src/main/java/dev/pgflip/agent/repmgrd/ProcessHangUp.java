package dev.pgflip.agent.repmgrd;

import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends SIGHUP to a process, once the kernel names it as expected: a PID kept in shared memory may outlive its process
 * and be reused by another of this user's. The JDK sends only SIGTERM and SIGKILL, so {@code kill -s HUP} runs; one
 * process per wake-up, which comes once per lost stream.
 */
public final class ProcessHangUp {
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(2);

    private final ProcessRunner runner;
    private final Path proc;

    public ProcessHangUp(ProcessRunner runner) {
        this(runner, Path.of("/proc"));
    }

    ProcessHangUp(ProcessRunner runner, Path proc) {
        this.runner = runner;
        this.proc = proc;
    }

    /** @return why the signal was not sent, or nothing when it was */
    public Optional<String> hangUp(long pid, String expectedName) {
        String name;
        try {
            name = Files.readString(proc.resolve(Long.toString(pid)).resolve("comm")).strip();
        } catch (IOException e) {
            return Optional.of("process " + pid + " is gone (" + e.getClass().getSimpleName() + ")");
        }
        if (!name.equals(expectedName)) {
            return Optional.of("process " + pid + " is " + name + ", not " + expectedName + " (a stale PID)");
        }
        try {
            ProcessResult sent = runner.run(List.of("kill", "-s", "HUP", Long.toString(pid)), Map.of(), KILL_TIMEOUT);
            return sent.succeeded() ? Optional.empty()
                    : Optional.of("kill -s HUP " + pid + ": " + sent.lastStderrLine());
        } catch (IOException e) {
            return Optional.of("cannot run kill: " + e.getMessage());
        }
    }
}
