package dev.pgflip.lab.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code pgflip} as its own JVM (the way repmgrd and systemd run it), with everything outside the process captured:
 * stdout and stderr (into files), and its argv as the kernel shows it to every user ({@code /proc/PID/cmdline}),
 * sampled while it runs. Logging is at DEBUG, the most it ever says.
 */
final class AgentProcess implements AutoCloseable {
    private static final String MAIN = "dev.pgflip.agent.cli.AgentMain";

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Set<String> cmdlines = new LinkedHashSet<>();

    private AgentProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** What one finished run showed. */
    record Shown(String name, int exitCode, String stdout, String stderr, Set<String> cmdlines) {
        String everything() {
            return stdout + "\n" + stderr + "\n" + String.join("\n", cmdlines);
        }

        @Override
        public String toString() {
            return "---- " + name + ": exit=" + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    /**
     * Starts {@code pgflip args…} with the test JVM's class path; {@code env} is added to an environment from which
     * any inherited DigitalOcean token is removed.
     */
    static AgentProcess start(Path dir, String name, Map<String, String> env, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), MAIN));
        argv.addAll(List.of(args));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().remove("DIGITALOCEAN_ACCESS_TOKEN");
        builder.environment().put("PGFLIP_LOG_LEVEL", "DEBUG");
        builder.environment().putAll(env);
        AgentProcess started = new AgentProcess(builder.start(), out, err);
        started.sampleCmdline();
        return started;
    }

    /** Runs to the end, sampling argv every few milliseconds meanwhile. */
    static Shown run(Path dir, String name, Map<String, String> env, Duration timeout, String... args)
            throws IOException, InterruptedException {
        try (AgentProcess p = start(dir, name, env, args)) {
            long giveUp = System.nanoTime() + timeout.toNanos();
            while (!p.process.waitFor(5, TimeUnit.MILLISECONDS)) {
                p.sampleCmdline();
                if (System.nanoTime() > giveUp) {
                    throw new AssertionError("pgflip " + String.join(" ", args) + " still running after " + timeout);
                }
            }
            return p.shown(name);
        }
    }

    /** Waits (bounded) until stdout contains {@code text}, sampling argv meanwhile. */
    void awaitStdout(String text, Duration timeout) throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(stdout, StandardCharsets.UTF_8).contains(text)) {
            sampleCmdline();
            if (!process.isAlive() || System.nanoTime() > giveUp) {
                throw new AssertionError("no \"" + text + "\" on stdout; stderr:\n" + Files.readString(stderr));
            }
            Thread.sleep(20);
        }
        sampleCmdline();
    }

    /** SIGTERM, as systemd stops it, then what it showed. */
    Shown stop(String name) throws IOException, InterruptedException {
        sampleCmdline();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not stop on SIGTERM");
        }
        return shown(name);
    }

    /** The argv as any user sees it; a process that is gone has none to read. */
    void sampleCmdline() {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            if (raw.length > 0) {
                cmdlines.add(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
            }
        } catch (IOException e) {
            // exited between two samples
        }
    }

    private Shown shown(String name) throws IOException {
        return new Shown(name, process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8), Set.copyOf(cmdlines));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
