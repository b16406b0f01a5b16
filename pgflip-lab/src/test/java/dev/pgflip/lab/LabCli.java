package dev.pgflip.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code pgflip} jar as users do, against one lab directory. */
public final class LabCli {
    public record Result(int exitCode, String stdout, String stderr) {}

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(180);
    private static final int LAST_LINES_FIRST = 8;

    private final Path jar;
    private final Path labDir;

    LabCli(Path labDir) {
        this.jar = Path.of(System.getProperty("pgflip.jar", "target/pgflip.jar")).toAbsolutePath();
        this.labDir = labDir;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": the lab tests run after 'mvn package' (mvn verify)");
        }
    }

    public Path labDir() {
        return labDir;
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return run(DEFAULT_TIMEOUT, args);
    }

    /** For commands that take longer than {@link #DEFAULT_TIMEOUT}, such as a drill over several faults. */
    public Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar.toString()));
        argv.addAll(List.of(args));
        if (args.length > 0 && args[0].equals("lab")) {
            argv.add("--dir");
            argv.add(labDir.toString());
        }
        Path out = Files.createTempFile("pgflip-it", ".out");
        Path err = Files.createTempFile("pgflip-it", ".err");
        try {
            Process process = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("pgflip " + String.join(" ", args) + " did not finish in "
                        + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String lastLines(String text, int count) {
        java.util.List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    public Result ok(String... args) throws IOException, InterruptedException {
        return ok(DEFAULT_TIMEOUT, args);
    }

    public Result ok(Duration timeout, String... args) throws IOException, InterruptedException {
        Result result = run(timeout, args);
        if (result.exitCode() != 0) {
            // The error comes first: a CI log keeps the head of a long failure message, and a drill's stderr is
            // mostly the clients' warnings, with the reason it stopped on its last lines.
            throw new AssertionError("pgflip " + String.join(" ", args) + " exited " + result.exitCode()
                    + "\nlast lines of stderr:\n" + lastLines(result.stderr(), LAST_LINES_FIRST)
                    + "\nstdout:\n" + result.stdout() + "\nstderr:\n" + result.stderr());
        }
        return result;
    }
}
