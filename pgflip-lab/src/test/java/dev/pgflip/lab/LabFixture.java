package dev.pgflip.lab;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * One real lab for a test class: {@code lab up} into a fresh directory before the first test, {@code lab down} after
 * the last. The lab's namespaces, bridge and addresses are fixed, so only one lab can exist on a machine: the fixture
 * holds a machine-wide file lock while its lab is up, and other test JVMs wait for it.
 *
 * <pre>{@code
 * static LabFixture lab;
 * @BeforeAll static void up() throws Exception { lab = LabFixture.up(); }
 * @AfterAll static void down() throws Exception { lab.close(); }
 * }</pre>
 */
public final class LabFixture implements AutoCloseable {
    public static final String FLIP = "198.18.0.100";
    public static final String N1 = "198.18.0.11";
    public static final String N2 = "198.18.0.12";
    public static final String N3 = "198.18.0.13";
    /** The second standby of a lab made with {@code --standbys 2}. */
    public static final String N4 = "198.18.0.14";
    private static final Path MACHINE_LOCK = Path.of("/tmp/pgflip-lab.machine.lock");

    private final LabCli cli;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private LabFixture(LabCli cli, FileChannel lockChannel, FileLock lock) {
        this.cli = cli;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    public static LabFixture up() throws Exception {
        return up(new String[0]);
    }

    /** A lab made with {@code lab up} and these options (e.g. {@code --standbys 2}). */
    public static LabFixture up(String... upOptions) throws Exception {
        FileChannel channel = FileChannel.open(MACHINE_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock();
        try {
            awaitNoOtherLab();
            LabCli cli = new LabCli(Files.createTempDirectory("pgflip-lab-it"));
            try {
                java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("lab", "up"));
                argv.addAll(java.util.List.of(upOptions));
                cli.ok(argv.toArray(String[]::new));
            } catch (Exception | Error e) {
                // A half-made lab would hold the machine's names and stall every later test class.
                cli.run("lab", "down");
                Files.deleteIfExists(cli.labDir());
                throw e;
            }
            return new LabFixture(cli, channel, lock);
        } catch (Exception | Error e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /**
     * A lab made by hand (./pgflip lab up) holds no lock: wait, bounded, until its namespaces are gone. A test's lab
     * still up while this JVM holds the machine lock was left by a killed test: waiting would not help.
     */
    private static void awaitNoOtherLab() throws IOException, InterruptedException {
        java.util.Optional<Path> owner = LabOwner.current();
        if (owner.isPresent() && owner.get().getFileName().toString().startsWith("pgflip-lab-it")) {
            throw new IllegalStateException("the test that made the lab in " + owner.get() + " is gone but its lab"
                    + " is up: scripts/reap-abandoned-test-lab.sh (make test runs it first) takes it down");
        }
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(10).toNanos();
        while (Files.exists(Path.of("/run/netns/n1")) || Files.exists(Path.of("/run/netns/n2"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("another lab (namespaces n1/n2) has been up for 10 minutes:"
                        + " stop it with './pgflip lab down --dir DIR'");
            }
            Thread.sleep(1_000);
        }
    }

    /**
     * Injects a fault from this JVM, as {@code lab fault} does but without that command's JVM start (0.5–3 s on a
     * loaded machine), so a test's clock starts at the fault itself. Returns {@link System#nanoTime()} right after it.
     */
    public long fault(String fault, String node) {
        Lab lab = lab();
        new LabFaults(lab).inject(LabFaults.Fault.parse(fault), lab.topology().node(node));
        return System.nanoTime();
    }

    /** Undoes freeze and link-down from this JVM (see {@link #fault}). */
    public void heal(String node) {
        Lab lab = lab();
        new LabFaults(lab).heal(lab.topology().node(node));
    }

    public LabCli cli() {
        return cli;
    }

    /** This fixture's lab, for the lab's own operations (its layout, state, commands, emulator API). */
    public Lab lab() {
        LabLayout layout = new LabLayout(dir());
        return new Lab(layout, RecordedTopology.read(layout));
    }

    /**
     * Runs the installed agent ({@code /usr/bin/pgflip args…}) on a lab node as an operator runs it there: in the node's
     * namespace (so it sees the node's own /etc/pgflip/agent.yaml and /etc/repmgr.conf), as postgres.
     */
    public LabCli.Result agent(String node, String... args) throws IOException, InterruptedException {
        return agent(java.time.Duration.ofMinutes(3), node, args);
    }

    /** The same, killed and failed after {@code timeout}. */
    public LabCli.Result agent(java.time.Duration timeout, String node, String... args)
            throws IOException, InterruptedException {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("ip", "netns", "exec", node, "setpriv",
                "--reuid=postgres", "--regid=postgres", "--init-groups", "--", "/usr/bin/pgflip"));
        argv.addAll(java.util.List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // libpq's variables of the caller's shell must not reach the agent (see Commands.callersOwn).
        builder.environment().keySet().removeIf(k -> k.startsWith("PG") || k.equals("DIGITALOCEAN_ACCESS_TOKEN"));
        Process process = builder.start();
        var stdout = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        String stderr = readAll(process.getErrorStream());
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("pgflip " + String.join(" ", args) + " on " + node + " did not finish in "
                    + timeout.toSeconds() + " s");
        }
        return new LabCli.Result(process.exitValue(), stdout.join(), stderr);
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Path dir() {
        return cli.labDir();
    }

    /** A plain pgjdbc connection as the seed's application user, for checks outside the code under test. */
    public static Connection connect(String host) throws SQLException {
        return connect(host, "postgres");
    }

    /** The same, to another database of the node (the witness's claims live in {@code repmgr}). */
    public static Connection connect(String host, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("password", "123456");
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":5432/" + database, props);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(cli.labDir())) {
                cli.run("lab", "down");
            }
            Files.deleteIfExists(cli.labDir());
        } finally {
            lock.release();
            lockChannel.close();
        }
    }
}
