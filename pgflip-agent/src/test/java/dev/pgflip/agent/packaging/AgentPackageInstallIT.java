package dev.pgflip.agent.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package installed for real, as on a droplet ({@code dpkg -i}, as root), then removed and purged: what the
 * installed files are, that a changed configuration survives a remove, and that a purge takes the configuration and
 * the logs but keeps a fence record. Refuses to run where pgflip-agent is already installed (it would purge it).
 */
class AgentPackageInstallIT {
    private static final Path CONFIG = Path.of("/etc/pgflip/agent.yaml");
    private static final Path FENCE = Path.of("/var/lib/pgflip/fence.state");

    @Test
    void installRemoveAndPurgeDoWhatTheGuideSays() throws Exception {
        assertThat(run("id", "-u").out().strip()).as("dpkg -i needs root: make test runs as root").isEqualTo("0");
        assertThat(run("dpkg-query", "-W", "pgflip-agent").exit()).as("pgflip-agent is already installed on this"
                + " machine; this test installs and purges it: remove it first (dpkg -P pgflip-agent), or, if a lab"
                + " installed it, take that lab down ('./pgflip lab down --dir DIR'; make test does it by itself"
                + " for a lab a killed test left)").isNotZero();
        boolean repmgrLogDirExisted = Files.exists(Path.of("/var/log/repmgr"));
        Path deb = thePackage();
        try {
            Result install = run("dpkg", "-i", deb.toString());
            assertThat(install.exit()).as(install.out() + install.err()).isZero();

            assertThat(run("/usr/bin/pgflip", "--version").out())
                    .isEqualTo("pgflip " + System.getProperty("pgflip.version") + "\n");
            PosixFileAttributes config = Files.readAttributes(CONFIG, PosixFileAttributes.class);
            assertThat(PosixFilePermissions.toString(config.permissions())).isEqualTo("rw-r-----");
            assertThat(config.owner().getName()).isEqualTo("root");
            assertThat(config.group().getName()).as("the agent runs as postgres").isEqualTo("postgres");
            for (String dir : List.of("/var/lib/pgflip", "/var/log/pgflip", "/var/log/repmgr")) {
                assertThat(Files.getOwner(Path.of(dir)).getName()).as(dir).isEqualTo("postgres");
            }
            assertThat(run("/usr/bin/pgflip", "doctor", "--config", CONFIG.toString()).out())
                    .as("a fresh install's doctor names what to fill in")
                    .contains("node.name: still the package's placeholder CHANGE-ME");

            Files.writeString(CONFIG, Files.readString(CONFIG) + "# changed by the operator\n");
            assertThat(run("dpkg", "-r", "pgflip-agent").exit()).isZero();
            assertThat(Path.of("/usr/bin/pgflip")).doesNotExist();
            assertThat(CONFIG).as("remove keeps the configuration").exists();

            Files.createDirectories(FENCE.getParent());
            Files.writeString(FENCE, "outranked: n1 is primary on timeline 3; run pgflip rejoin\ntimeline=2\n");
            Result purge = run("dpkg", "-P", "pgflip-agent");
            assertThat(purge.exit()).as(purge.err()).isZero();
            assertThat(Path.of("/etc/pgflip")).as("purge removes the configuration").doesNotExist();
            assertThat(Path.of("/var/log/pgflip")).doesNotExist();
            assertThat(FENCE).as("a fence record outlives a purge").exists();
            assertThat(purge.err()).contains("kept /var/lib/pgflip (a fence record is there");
        } finally {
            run("dpkg", "-P", "pgflip-agent");
            Files.deleteIfExists(FENCE);
            Files.deleteIfExists(FENCE.getParent());
            if (!repmgrLogDirExisted) {
                Files.deleteIfExists(Path.of("/var/log/repmgr"));
            }
        }
    }

    private static Path thePackage() throws IOException {
        Path target = Path.of(System.getProperty("pgflip.agent.dir", "target"));
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("pgflip-agent_.*_all\\.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no pgflip-agent_<version>_all.deb in " + target));
        }
    }

    private record Result(int exit, String out, String err) {}

    /** A command's exit code, stdout and stderr (to files: a hung command cannot block a read); 120 s at most. */
    private static Result run(String... argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile("agent-install", ".out");
        Path err = Files.createTempFile("agent-install", ".err");
        try {
            Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not exit in 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
