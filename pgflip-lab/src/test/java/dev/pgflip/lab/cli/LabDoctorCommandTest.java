package dev.pgflip.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The launcher's doctor: the agent's command with --lab added, without a lab. */
class LabDoctorCommandTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PgflipMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpIsTheAgentsWithTheLabOptionsAdded() {
        Run help = run("doctor", "--help");

        assertThat(help.out()).contains("Check that this database node is ready for a failover")
                .contains("flip_holder").contains("--lab=NODE").contains("--lab-dir=DIR")
                .contains("./pgflip doctor --lab n2").contains("the number of failed checks");
    }

    @Test
    void withoutLabItIsTheAgentsDoctor() {
        Run r = run("doctor", "--config", dir.resolve("absent.yaml").toString(),
                "--repmgr-config", dir.resolve("absent.conf").toString(), "-o", "JSON");

        assertThat(r.out()).contains("\"check\" : \"agent_config\"").contains("\"failed\" : 2");
        assertThat(r.exitCode()).isEqualTo(2);
    }

    @Test
    void labTakesTheNodesOwnFilesOnly() {
        Run r = run("doctor", "--lab", "n2", "--config", "/etc/pgflip/pgflip.yaml");

        assertThat(r.err()).contains("leave out --config and --repmgr-config");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aLabDirectoryWithoutALabIsNamed() {
        Run r = run("doctor", "--lab", "n2", "--lab-dir", dir.toString());

        assertThat(r.err()).contains("no lab in " + dir).contains("pgflip lab up");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(run("lab", "doctor", "n7", "--dir", dir.toString()).err()).contains("unknown node 'n7'");
    }
}
