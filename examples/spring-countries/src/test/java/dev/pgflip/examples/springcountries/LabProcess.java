package dev.pgflip.examples.springcountries;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One real lab for a test class, driven through {@code pgflip.jar} as the README does ({@code lab up}, {@code lab env},
 * {@code lab fault}, {@code lab down}), under the machine-wide lab lock that pgflip-lab's LabFixture and
 * CountriesAppIT take: only one lab can exist on a machine. pgflip-lab's own fixture is not on this class path: its
 * jar is shaded (Logback, Jackson 2, pgjdbc inside), which would clash with Spring Boot's.
 */
final class LabProcess implements AutoCloseable {
    static final String FLIP = "198.18.0.100";
    static final String N1 = "198.18.0.11";
    static final String N2 = "198.18.0.12";
    private static final Path MACHINE_LOCK = Path.of("/tmp/pgflip-lab.machine.lock");

    record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Path dir;

    private LabProcess(FileChannel lockChannel, FileLock lock, Path dir) {
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.dir = dir;
    }

    static LabProcess up() throws IOException, InterruptedException {
        jar();   // fail before taking the lock
        FileChannel channel = FileChannel.open(MACHINE_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock();
        LabProcess lab = null;
        try {
            awaitNoForeignLab();
            lab = new LabProcess(channel, lock, Files.createTempDirectory("pgflip-lab-it-spring-countries"));
            lab.ok("lab", "up");
            return lab;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            if (lab != null) {
                try {
                    lab.close();   // a half-made lab would hold the machine's names and stall every later test class
                } catch (IOException | RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            } else {
                lock.release();
                channel.close();
            }
            throw e;
        }
    }

    /**
     * A lab started outside the lock (a manual {@code ./pgflip lab up}) is waited for, bounded. Never {@code lab up}
     * next to it: its namespaces have the same names.
     */
    private static void awaitNoForeignLab() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (Files.exists(Path.of("/sys/class/net/pgflbr0"))
                || List.of("n1", "n2", "n3").stream().anyMatch(ns -> Files.exists(Path.of("/run/netns", ns)))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("another lab (namespaces n1..n3 / bridge pgflbr0) stayed up for 10"
                        + " minutes without the lab lock " + MACHINE_LOCK + "; stop it with 'pgflip lab down --dir DIR'");
            }
            Thread.sleep(2_000);
        }
    }

    /** The {@code export K=V} lines of {@code lab env}, as {@code eval} would set them. */
    Map<String, String> env() throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        ok("lab", "env").stdout().lines().filter(l -> l.startsWith("export ")).map(l -> l.substring("export ".length()))
                .forEach(kv -> env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1)));
        return env;
    }

    /** {@code pgflip lab fault FAULT NODE}: returns once the fault is in place. */
    void fault(String fault, String node) throws IOException, InterruptedException {
        ok("lab", "fault", fault, node);
    }

    /** A plain pgjdbc connection with the lab's (the seed's) credentials, for checks outside the code under test. */
    static Connection connect(String host) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("password", "123456");
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":5432/postgres", props);
    }

    private Run ok(String... args) throws IOException, InterruptedException {
        Run run = pgflip(args);
        if (run.exitCode() != 0) {
            throw new AssertionError("pgflip " + String.join(" ", args) + " failed: " + run);
        }
        return run;
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("pgflip.jar", "../../pgflip-lab/target/pgflip.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": build pgflip-lab first (mvn verify at the root, or -am)");
        }
        return jar;
    }

    private Run pgflip(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar().toString()));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--dir", dir.toString()));
        Path out = Files.createTempFile("spring-countries-it", ".out");
        Path err = Files.createTempFile("spring-countries-it", ".err");
        try {
            Process process = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("pgflip " + String.join(" ", args) + " did not finish in 180 s");
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@code lab down}, then the lock is released whatever happened. */
    @Override
    public void close() throws IOException {
        try {
            if (Files.exists(dir)) {
                pgflip("lab", "down");
            }
            Files.deleteIfExists(dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during 'lab down' of " + dir, e);
        } finally {
            lock.release();
            lockChannel.close();
        }
    }
}
