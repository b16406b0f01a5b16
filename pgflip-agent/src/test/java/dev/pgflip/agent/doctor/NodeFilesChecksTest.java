package dev.pgflip.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.AgentConfigLoader;
import dev.pgflip.agent.config.ConfigPurpose;
import dev.pgflip.agent.repmgr.RepmgrConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each file a Debian node needs around repmgr, broken the way the guide's first droplets had it, then fixed. */
class NodeFilesChecksTest {
    @TempDir
    Path root;

    private NodeFilesChecks checks(String... repmgrConfLines) {
        RepmgrConf conf = RepmgrConf.parse(String.join("\n", repmgrConfLines) + "\n", Path.of("/etc/repmgr.conf"));
        return new NodeFilesChecks(root, Optional.of(conf), Optional.empty(), false);
    }

    private Path file(String absolute, String content) throws IOException {
        Path f = root.resolve(absolute.substring(1));
        Files.createDirectories(f.getParent());
        return Files.writeString(f, content);
    }

    @Test
    void aMissingRepmgrLogDirectoryFailsWithTheCommandThatMakesIt() throws IOException {
        NodeFilesChecks c = checks("log_file='/var/log/repmgr/repmgr.log'");
        CheckResult missing = c.logDirectory();
        assertThat(missing.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(missing.message()).contains("/var/log/repmgr, which does not exist");
        assertThat(missing.fix()).hasValueSatisfying(f -> assertThat(f).contains("install -d").contains("-o postgres"));

        Path dir = Files.createDirectories(root.resolve("var/log/repmgr"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(c.logDirectory().status()).isEqualTo(CheckStatus.OK);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        boolean ownedByPostgres = Files.getOwner(dir).getName().equals("postgres");
        assertThat(c.logDirectory().status()).as("owned by " + Files.getOwner(dir).getName() + ", mode 750")
                .isEqualTo(ownedByPostgres ? CheckStatus.OK : CheckStatus.FAIL);
        assertThat(checks().logDirectory().status()).as("no log_file: repmgrd logs to stderr").isEqualTo(CheckStatus.SKIPPED);
    }

    @Test
    void theKernelMustLetTheWatchEndAConnectionUnderRepmgrd() throws IOException {
        NodeFilesChecks c = checks();
        assertThat(c.socketDestroy().status()).as("no build options to read").isEqualTo(CheckStatus.SKIPPED);
        file("/proc/sys/kernel/osrelease", "6.1.0-28-amd64\n");
        file("/boot/config-6.1.0-28-amd64", "CONFIG_INET_DIAG=m\n# CONFIG_INET_DIAG_DESTROY is not set\n");
        CheckResult lacking = c.socketDestroy();
        assertThat(lacking.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(lacking.message()).contains("lacks CONFIG_INET_DIAG_DESTROY", "repmgrd_unblock_failed");
        assertThat(lacking.fix()).isPresent();
        file("/boot/config-6.1.0-28-amd64", "CONFIG_INET_DIAG=m\nCONFIG_INET_DIAG_DESTROY=y\n");
        assertThat(c.socketDestroy().status()).isEqualTo(CheckStatus.OK);

        Path gz = root.resolve("proc/config.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("CONFIG_INET_DIAG_DESTROY=y\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Files.delete(root.resolve("boot/config-6.1.0-28-amd64"));
        assertThat(c.socketDestroy().status()).as("the running kernel's own copy").isEqualTo(CheckStatus.OK);
        assertThat(new NodeFilesChecks(root, Optional.empty(), Optional.empty(), true).socketDestroy().status())
                .as("a witness").isEqualTo(CheckStatus.SKIPPED);
    }

    @Test
    void debiansInitScriptMustRunRepmgrdInTheForegroundWhenItRunsIt() throws IOException {
        NodeFilesChecks c = checks();
        assertThat(c.daemonize().status()).as("no /etc/default/repmgrd").isEqualTo(CheckStatus.SKIPPED);
        file("/etc/default/repmgrd", "REPMGRD_ENABLED=no\n#REPMGRD_OPTS=\"\"\n");
        assertThat(c.daemonize().status()).as("the init script does not run repmgrd").isEqualTo(CheckStatus.SKIPPED);
        file("/etc/default/repmgrd", "REPMGRD_ENABLED=yes\nREPMGRD_CONF=\"/etc/repmgr.conf\"\n");
        CheckResult broken = c.daemonize();
        assertThat(broken.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(broken.fix()).hasValueSatisfying(f -> assertThat(f).contains("REPMGRD_OPTS=\"--daemonize=false\""));
        file("/etc/default/repmgrd", "REPMGRD_ENABLED=yes\nREPMGRD_OPTS=\"--daemonize=false\"\n");
        assertThat(c.daemonize().status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void aDebianClusterThatStartsByItselfAfterARebootFails() throws IOException {
        NodeFilesChecks c = checks("data_directory='/var/lib/postgresql/15/main'");
        assertThat(c.startConf().status()).as("no start.conf").isEqualTo(CheckStatus.SKIPPED);
        file("/etc/postgresql/15/main/start.conf", "# Automatic startup configuration\nauto\n");
        CheckResult auto = c.startConf();
        assertThat(auto.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(auto.fix()).hasValueSatisfying(f -> assertThat(f).startsWith("echo manual > /etc/postgresql/15/main/start.conf"));
        file("/etc/postgresql/15/main/start.conf", "# Automatic startup configuration\nmanual\n");
        assertThat(c.startConf().status()).isEqualTo(CheckStatus.OK);
        assertThat(checks("data_directory='/srv/pg'").startConf().status()).as("not Debian's layout")
                .isEqualTo(CheckStatus.SKIPPED);
        file("/etc/postgresql/15/main/start.conf", "auto\n");
        RepmgrConf conf = RepmgrConf.parse("data_directory='/var/lib/postgresql/15/main'\n", Path.of("/etc/repmgr.conf"));
        assertThat(new NodeFilesChecks(root, Optional.of(conf), Optional.empty(), true).startConf().status())
                .as("a witness: auto is right, failovers need it up").isEqualTo(CheckStatus.SKIPPED);
    }

    @Test
    void theStartGuardMustRunBeforeADebianClusterStartsAndNeedsTheFencingSection() throws IOException {
        NodeFilesChecks c = checks("data_directory='/var/lib/postgresql/15/main'");
        CheckResult none = c.startGuard();
        assertThat(none.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(none.message()).contains("postgresql@15-main.service");
        assertThat(none.fix()).hasValueSatisfying(f -> assertThat(f).startsWith("install -D -m 0644"
                + " /usr/share/pgflip/postgresql-start-guard.conf /etc/systemd/system/postgresql@15-main.service.d/"));
        file("/etc/systemd/system/postgresql@15-main.service.d/other.conf", "[Service]\nNice=5\n");
        assertThat(c.startGuard().status()).as("a drop-in that runs something else").isEqualTo(CheckStatus.FAIL);
        file("/etc/systemd/system/postgresql@15-main.service.d/pgflip-start-guard.conf", "[Service]\n"
                + "ExecStartPre=/usr/sbin/runuser -u postgres -- /usr/bin/pgflip start-guard --config /etc/pgflip/agent.yaml\n");
        CheckResult ok = c.startGuard();
        assertThat(ok.status()).isEqualTo(CheckStatus.OK);
        assertThat(ok.message()).startsWith("/etc/systemd/system/postgresql@15-main.service.d/pgflip-start-guard.conf runs");

        AgentConfig noFencing = AgentConfigLoader.parse("events:\n  log_file: /tmp/events.jsonl\n", "agent.yaml", ConfigPurpose.EVENT);
        RepmgrConf conf = RepmgrConf.parse("data_directory='/var/lib/postgresql/15/main'\n", Path.of("/etc/repmgr.conf"));
        CheckResult withoutFencing = new NodeFilesChecks(root, Optional.of(conf), Optional.of(noFencing), false).startGuard();
        assertThat(withoutFencing.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(withoutFencing.message()).contains("no fencing section").contains("PostgreSQL does not start");
    }

    @Test
    void elsewhereTheStartGuardIsFoundInServiceStartCommandAndAWitnessIsNotChecked() {
        assertThat(checks("data_directory='/srv/pg'").startGuard().status()).as("not Debian's layout, no guard")
                .isEqualTo(CheckStatus.SKIPPED);
        assertThat(checks("data_directory='/srv/pg'", "service_start_command='/usr/bin/pgflip start-guard --config"
                + " /etc/pgflip/agent.yaml >&2 && pg_ctl -D /srv/pg -w start'").startGuard().status())
                .isEqualTo(CheckStatus.OK);
        RepmgrConf conf = RepmgrConf.parse("data_directory='/var/lib/postgresql/15/main'\n", Path.of("/etc/repmgr.conf"));
        assertThat(new NodeFilesChecks(root, Optional.of(conf), Optional.empty(), true).startGuard().status())
                .isEqualTo(CheckStatus.SKIPPED);
    }
}
