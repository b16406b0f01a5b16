package dev.pgflip.benchmarks;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JMH benchmarks on a lab of their own, for unattended runs on a shared machine: takes the machine-wide lab
 * lock the lab tests take, waits for any hand-made lab to go, brings a lab up in a fresh directory, runs
 * {@code benchmarks.jar} with the lab's environment and the given JMH arguments, and brings the lab down.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.pgflip.benchmarks.OnOwnLab -f 1 -wi 3 -i 5 -t 4
 * }</pre>
 * The pgflip jar is {@code pgflip-lab/target/pgflip.jar} (or {@code -Dpgflip.jar=...}); needs root, as the lab does.
 */
public final class OnOwnLab {
    private static final Path MACHINE_LOCK = Path.of("/tmp/pgflip-lab.machine.lock");

    private OnOwnLab() {
    }

    public static void main(String[] jmhArgs) throws Exception {
        Path pgflipJar = Path.of(System.getProperty("pgflip.jar", "pgflip-lab/target/pgflip.jar")).toAbsolutePath();
        Path benchmarksJar = Path.of(OnOwnLab.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(pgflipJar)) {
            throw new IllegalStateException("no " + pgflipJar + ": build first (mvn -DskipTests package)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        try (FileChannel channel = FileChannel.open(MACHINE_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();   // released when the channel closes, after lab down
            System.out.println("benchmarks: holding " + MACHINE_LOCK + " (" + lock.isValid() + ")");
            awaitNoOtherLab();
            Path dir = Files.createTempDirectory("pgflip-lab-it-bench");
            try {
                run(List.of(java, "-jar", pgflipJar.toString(), "lab", "up", "--dir", dir.toString()), Map.of());
                Map<String, String> env = labEnv(java, pgflipJar, dir);
                List<String> argv = new ArrayList<>(List.of(java, "-jar", benchmarksJar.toString()));
                argv.addAll(List.of(jmhArgs));
                int exit = run(argv, env);
                System.out.println("benchmarks exited " + exit);
            } finally {
                run(List.of(java, "-jar", pgflipJar.toString(), "lab", "down", "--dir", dir.toString()), Map.of());
            }
        }
    }

    /** A lab made by hand holds no lock: wait (bounded) until its namespaces are gone. */
    private static void awaitNoOtherLab() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (Files.exists(Path.of("/run/netns/n1")) || Files.exists(Path.of("/run/netns/n2"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("another lab (namespaces n1/n2) has been up for 20 minutes");
            }
            Thread.sleep(1_000);
        }
    }

    /** The {@code export NAME=value} lines of {@code lab env}, as a map. */
    private static Map<String, String> labEnv(String java, Path pgflipJar, Path dir) throws IOException,
            InterruptedException {
        Process p = new ProcessBuilder(java, "-jar", pgflipJar.toString(), "lab", "env", "--dir", dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("lab env exited " + p.exitValue());
        }
        Map<String, String> env = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("export ") && line.indexOf('=') > 0) {
                String assignment = line.substring("export ".length());
                int eq = assignment.indexOf('=');
                env.put(assignment.substring(0, eq), assignment.substring(eq + 1).replaceAll("^['\"]|['\"]$", ""));
            }
        }
        return env;
    }

    private static int run(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        return pb.start().waitFor();
    }
}
