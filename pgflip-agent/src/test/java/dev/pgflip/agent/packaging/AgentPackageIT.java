package dev.pgflip.agent.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package the build made, read with dpkg-deb as dpkg would (no root, nothing installed): its fields, its
 * files with their modes, its conffiles, the scripts rendered from the sources the lab uses, a jar without the lab.
 */
class AgentPackageIT {
    private static Path deb;
    private static String version;

    @BeforeAll
    static void findThePackage() throws IOException {
        Path target = Path.of(System.getProperty("pgflip.agent.dir", "target"));
        version = System.getProperty("pgflip.version");
        assertThat(version).as("system property pgflip.version, set by failsafe").isNotBlank();
        try (Stream<Path> files = Files.list(target)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().matches("pgflip-agent_.*_all\\.deb")).toList();
            assertThat(debs).as("one pgflip-agent_<version>_all.deb in " + target + "; failsafe runs after package")
                    .hasSize(1);
            deb = debs.get(0);
        }
    }

    @Test
    void itsFieldsNameTheJavaItNeedsAndTheRepmgrItServes() throws Exception {
        String debianVersion = version.replace("-SNAPSHOT", "~SNAPSHOT");
        assertThat(deb.getFileName().toString()).isEqualTo("pgflip-agent_" + debianVersion + "_all.deb");
        assertThat(run("dpkg-deb", "--field", deb.toString(), "Package", "Version", "Architecture", "Depends",
                "Recommends")).isEqualTo("""
                Package: pgflip-agent
                Version: %s
                Architecture: all
                Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, iproute2
                Recommends: postgresql-15-repmgr
                """.formatted(debianVersion));
    }

    @Test
    void itInstallsTheAgentItsHooksItsUnitAndItsConfigurationWithTheirModes() throws Exception {
        List<String> entries = run("dpkg-deb", "--contents", deb.toString()).lines()
                .map(l -> l.split("\\s+"))
                .map(f -> f[0] + " " + f[1] + " " + f[f.length - 1]).toList();
        assertThat(entries).contains(
                "-rwxr-xr-x root/root ./usr/bin/pgflip",
                "-rwxr-xr-x root/root ./usr/bin/pgflip-promote",
                "-rwxr-xr-x root/root ./usr/bin/pgflip-event",
                "-rw-r--r-- root/root ./usr/share/pgflip/pgflip-agent.jar",
                "-rw-r--r-- root/root ./usr/share/pgflip/postgresql-start-guard.conf",
                "-rw-r----- root/root ./etc/pgflip/agent.yaml",
                "-rw-r--r-- root/root ./etc/logrotate.d/pgflip",
                "-rw-r--r-- root/root ./lib/systemd/system/pgflip-watch.service");
        assertThat(run("dpkg-deb", "--info", deb.toString(), "conffiles").lines().sorted().toList())
                .containsExactly("/etc/logrotate.d/pgflip", "/etc/pgflip/agent.yaml");
    }

    @Test
    void itsScriptsAreTheOnesTheAgentRendersAndItsMaintainerScriptsParse(@TempDir Path dir) throws Exception {
        run("dpkg-deb", "--extract", deb.toString(), dir.toString());
        for (Map.Entry<Path, String> script : PackageScripts.render().entrySet()) {
            Path installed = dir.resolve(script.getKey().toString().substring(1));
            assertThat(installed).as(script.getKey().toString()).hasContent(script.getValue());
            run("sh", "-n", installed.toString());
        }
        assertThat(dir.resolve("usr/bin/pgflip")).content().contains("-cp /usr/share/pgflip/pgflip-agent.jar");
        Path control = dir.resolve("DEBIAN");
        run("dpkg-deb", "--control", deb.toString(), control.toString());
        for (String maintainerScript : List.of("postinst", "prerm", "postrm")) {
            run("sh", "-n", control.resolve(maintainerScript).toString());
        }
        assertThat(dir.resolve("lib/systemd/system/pgflip-watch.service")).content()
                .contains("ExecStart=/usr/bin/pgflip watch --config /etc/pgflip/agent.yaml")
                .contains("User=postgres").contains("StartLimitIntervalSec=0");
        assertThat(dir.resolve("usr/share/pgflip/postgresql-start-guard.conf")).content()
                .contains("ExecStartPre=/usr/sbin/runuser -u postgres -- /usr/bin/pgflip start-guard --config"
                        + " /etc/pgflip/agent.yaml");
    }

    @Test
    void itsJarIsTheAgentAloneAndKnowsItsVersion(@TempDir Path dir) throws Exception {
        run("dpkg-deb", "--extract", deb.toString(), dir.toString());
        Path jar = dir.resolve("usr/share/pgflip/pgflip-agent.jar");
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.stream().map(e -> e.getName()).filter(n -> n.startsWith("dev/pgflip/lab/")).toList())
                    .as("lab classes in the agent's jar").isEmpty();
            assertThat(file.getEntry("dev/pgflip/agent/cli/AgentMain.class")).isNotNull();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertThat(run(java, "-jar", jar.toString(), "--version")).isEqualTo("pgflip " + version + "\n");
    }

    /** stdout of a command that must exit 0 within 60 s (stdout to a file: a hung command cannot block the read). */
    private static String run(String... argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile("agent-package", ".out");
        Path err = Files.createTempFile("agent-package", ".err");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(argv))).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not exit in 60 s");
            }
            assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + Files.readString(err)).isZero();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
