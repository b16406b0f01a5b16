package dev.pgflip.examples.countries;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code countries.jar} against a real lab, as the README says: {@code lab up}, {@code eval "$(pgflip lab env)"},
 * {@code java -jar countries.jar}. Like pgflip-lab's LabFixture (which examples do not depend on), it holds the
 * machine-wide lab lock for the whole class, since only one lab can exist on a machine.
 */
class CountriesAppIT {
    private static final Path MACHINE_LOCK = Path.of("/tmp/pgflip-lab.machine.lock");
    private static final Pattern SERVED_BY = Pattern.compile("served by (\\S+) \\((\\S+) → (primary|standby)");

    private static FileChannel lockChannel;
    private static FileLock lock;
    private static Path labDir;
    private static Run app;

    record Run(int exitCode, String stdout, String stderr) {
        String line(String prefix) {
            return stdout.lines().filter(l -> l.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line starting '" + prefix + "' in:\n" + this));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    @BeforeAll
    static void labUpAndRunTheApp() throws Exception {
        lockChannel = FileChannel.open(MACHINE_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        lock = lockChannel.lock();
        labDir = Files.createTempDirectory("pgflip-lab-it-countries");
        labUp();
        Map<String, String> env = exports(ok(pgflip("lab", "env", "--dir", labDir.toString())).stdout());
        app = java(List.of("-jar", jar("countries.jar").toString()), env);
        System.out.println(app);
    }

    /**
     * {@code lab up} once no other lab holds the fixed namespaces and bridge: a lab started outside the lock (a manual
     * {@code ./pgflip drill}, say) is waited for, bounded. Never {@code lab up} (or, after it failed, {@code lab down})
     * next to a foreign lab: the down would remove that lab's namespaces, which have the same names.
     */
    private static void labUp() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (foreignLabPresent()) {
            if (System.nanoTime() > deadline) {
                Files.delete(labDir);
                labDir = null;
                throw new IllegalStateException("another lab (namespaces n1..n3 / bridge pgflbr0) stayed up for 10"
                        + " minutes without the lab lock " + MACHINE_LOCK + "; stop it with 'pgflip lab down --dir DIR'");
            }
            Thread.sleep(5_000);
        }
        ok(pgflip("lab", "up", "--dir", labDir.toString()));
    }

    private static boolean foreignLabPresent() {
        return Files.exists(Path.of("/sys/class/net/pgflbr0"))
                || List.of("n1", "n2", "n3").stream().anyMatch(ns -> Files.exists(Path.of("/run/netns", ns)));
    }

    @AfterAll
    static void labDown() throws Exception {
        try {
            if (labDir != null && Files.exists(labDir)) {
                pgflip("lab", "down", "--dir", labDir.toString());
            }
        } finally {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        }
    }

    @Test
    void appExitsZero() {
        assertThat(app.exitCode()).as(app.toString()).isZero();
    }

    @Test
    void portugalIsInsertedWithIdOneOnThePrimaryThroughTheFloatingIp() throws SQLException {
        Matcher served = servedBy(app.line("pt created - country_id: 1, served by "));

        assertThat(served.group(2)).isEqualTo("198.18.0.100");
        assertThat(served.group(3)).isEqualTo("primary");
        try (Connection c = connect("198.18.0.100"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT country_id, name, is_eu_member, pg_is_in_recovery() FROM countries")) {
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getInt(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4)))
                    .containsExactly(1, "Portugal", true, false);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void findAllIsServedByAStandby() throws SQLException {
        String line = app.line("All countries: ");
        Matcher served = servedBy(line);

        assertThat(line).contains("[{\"country_id\":1,\"name\":\"Portugal\",\"is_eu_member\":true}]");
        assertThat(served.group(3)).isEqualTo("standby");
        // Not only the app's word: the address it reports is a node in recovery.
        try (Connection c = connect(served.group(2)); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as(served.group(2) + " in recovery").isTrue();
        }
    }

    @Test
    void schemaIsCreatedOnThePrimary() {
        assertThat(servedBy(app.line("create table countries, served by ")).group(3)).isEqualTo("primary");
    }

    private static Matcher servedBy(String line) {
        Matcher m = SERVED_BY.matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return m;
    }

    private static Connection connect(String host) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("password", "123456");
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":5432/postgres", props);
    }

    /** {@code export K=V} lines of {@code lab env}, as {@code eval} would set them. */
    private static Map<String, String> exports(String script) {
        Map<String, String> env = new HashMap<>();
        script.lines().filter(l -> l.startsWith("export ")).map(l -> l.substring("export ".length()))
                .forEach(kv -> env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1)));
        return env;
    }

    private static Run pgflip(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("-jar", jar("pgflip.jar").toString()));
        argv.addAll(List.of(args));
        return java(argv, Map.of());
    }

    private static Run ok(Run run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }

    private static Path jar(String name) {
        Path jar = Path.of(System.getProperty(name, "target/" + name)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": run after 'mvn package' of the whole reactor (mvn verify)");
        }
        return jar;
    }

    private static Run java(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        argv.addAll(args);
        Path out = Files.createTempFile("countries-it", ".out");
        Path err = Files.createTempFile("countries-it", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            // Only the lab's settings: nothing from the caller's PG* environment may leak into the run.
            pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
            pb.environment().putAll(env);
            Process process = pb.start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " did not finish in 180 s");
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
