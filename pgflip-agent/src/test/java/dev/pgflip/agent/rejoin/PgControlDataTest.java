package dev.pgflip.agent.rejoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.RejoinConfig;
import dev.pgflip.agent.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local timeline read at the edge: repmgr.conf's data_directory and pg_bindir, and a stand-in pg_controldata. */
class PgControlDataTest {
    @TempDir
    Path dir;
    Path bin;
    Path calls;

    @BeforeEach
    void standInPgControlData() throws Exception {
        bin = Files.createDirectories(dir.resolve("bin"));
        calls = dir.resolve("calls.log");
        Files.writeString(dir.resolve("output.txt"), ControlDataSamples.PROMOTED_TO_2_AND_KILLED);
        script("pg_controldata", "echo \"LC_ALL=$LC_ALL $*\" >> " + calls + "\ncat " + dir.resolve("output.txt"));
    }

    void script(String name, String body) throws Exception {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
    }

    RejoinConfig rejoin(String repmgrConf) throws Exception {
        Path conf = Files.writeString(dir.resolve("repmgr.conf"), repmgrConf);
        return new RejoinConfig(conf, dir.resolve("archive"), "repmgr");
    }

    @Test
    void runsPgControlDataFromPgBindirOnTheDataDirectoryInTheCLocale() throws Exception {
        RejoinConfig rejoin = rejoin("node_id=2\ndata_directory='/var/lib/postgresql/15/main'\npg_bindir='" + bin + "'\n");

        ControlData c = PgControlData.read(rejoin, new ProcessRunner());

        assertThat(c.timeline()).isEqualTo(2);
        assertThat(Files.readString(calls).strip()).isEqualTo("LC_ALL=C -D /var/lib/postgresql/15/main");
    }

    @Test
    void aRepmgrConfWithoutDataDirectoryIsAConfigurationErrorNamingTheKey() throws Exception {
        RejoinConfig rejoin = rejoin("node_id=2\npg_bindir='" + bin + "'\n");

        assertThatThrownBy(() -> PgControlData.read(rejoin, new ProcessRunner()))
                .isInstanceOf(PgflipException.class)
                .hasMessageContaining("has no data_directory")
                .hasMessageContaining(dir.resolve("repmgr.conf").toString())
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void aFailingPgControlDataStopsTheRejoinSayingNothingChanged() throws Exception {
        script("pg_controldata", "echo 'pg_controldata: error: could not open file \"x/global/pg_control\"' >&2; exit 1");
        RejoinConfig rejoin = rejoin("data_directory='/nowhere'\npg_bindir='" + bin + "'\n");

        assertThatThrownBy(() -> PgControlData.read(rejoin, new ProcessRunner()))
                .isInstanceOf(PgflipException.class)
                .hasMessageContaining("cannot read this node's timeline")
                .hasMessageContaining("could not open file")
                .hasMessageEndingWith("nothing was changed")
                .satisfies(e -> assertThat(((PgflipException) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void aMissingPgControlDataAsksForPgBindir() throws Exception {
        RejoinConfig rejoin = rejoin("data_directory='/nowhere'\npg_bindir='" + dir.resolve("no-bin") + "'\n");

        assertThatThrownBy(() -> PgControlData.read(rejoin, new ProcessRunner()))
                .isInstanceOf(PgflipException.class)
                .hasMessageContaining("set pg_bindir in " + dir.resolve("repmgr.conf"));
    }

    @Test
    void outputThatIsNotPgControlDatasIsRefused() throws Exception {
        Files.writeString(dir.resolve("output.txt"), "hello\n");
        RejoinConfig rejoin = rejoin("data_directory='/nowhere'\npg_bindir='" + bin + "'\n");

        assertThatThrownBy(() -> PgControlData.read(rejoin, new ProcessRunner()))
                .isInstanceOf(PgflipException.class)
                .hasMessageContaining("printed no \"Latest checkpoint's TimeLineID\"");
    }
}
