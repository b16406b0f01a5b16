package dev.pgflip.agent.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs external programs from argument lists (never through a shell), each wait bounded. Output goes to
 * temporary files rather than pipes, so a grandchild that keeps the descriptors open (pg_ctl does) cannot
 * make us hang.
 */
public final class ProcessRunner {
    private static final File DEV_NULL = new File("/dev/null");
    private static final Duration KILL_GRACE = Duration.ofMillis(500);

    /** Runs {@code argv} to completion or kills it after {@code timeout}. */
    public ProcessResult run(List<String> argv, Map<String, String> extraEnv, Duration timeout) throws IOException {
        return run(argv, extraEnv, name -> false, timeout);
    }

    /**
     * As {@link #run(List, Map, Duration)}, without the inherited variables {@code dropInherited} names (a caller's
     * {@code PGPASSWORD} would otherwise override the pgpass file of every libpq program below).
     */
    public ProcessResult run(List<String> argv, Map<String, String> extraEnv,
            java.util.function.Predicate<String> dropInherited, Duration timeout) throws IOException {
        Path out = Files.createTempFile("pgflip-out", ".txt");
        Path err = Files.createTempFile("pgflip-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectInput(DEV_NULL)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().keySet().removeIf(dropInherited);
            pb.environment().putAll(extraEnv);
            Process p = pb.start();
            boolean finished = waitFor(p, timeout);
            if (!finished) {
                kill(p);
            }
            return new ProcessResult(List.copyOf(argv), finished ? p.exitValue() : -1, !finished,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Starts {@code argv} in the background and does not wait for it (gratuitous ARP repeats for seconds). */
    public Process startDetached(List<String> argv) throws IOException {
        return new ProcessBuilder(argv)
                .redirectInput(DEV_NULL)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Starts {@code argv} sharing our stdout/stderr, so its output lands in the caller's (repmgrd's) log. */
    public Process startInheritingOutput(List<String> argv) throws IOException {
        return new ProcessBuilder(argv)
                .redirectInput(DEV_NULL)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /**
     * Runs {@code argv} to completion, or kills it after {@code timeout}, sharing our stdout/stderr: its output lands in
     * the caller's (repmgrd's) log as it is written, so the result's stdout and stderr are empty.
     */
    public ProcessResult runInheritingOutput(List<String> argv, Duration timeout) throws IOException {
        Process p = startInheritingOutput(argv);
        boolean finished = waitFor(p, timeout);
        if (!finished) {
            kill(p);
        }
        return new ProcessResult(List.copyOf(argv), finished ? p.exitValue() : -1, !finished, "", "");
    }

    public static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void kill(Process p) {
        p.destroy();
        if (!waitFor(p, KILL_GRACE)) {
            p.destroyForcibly();
            waitFor(p, KILL_GRACE);
        }
    }
}
