package dev.pgflip.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.repmgr.RepmgrConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a database to ask, repmgrd's PID file decides (the database path is covered by the lab's DoctorIT). */
class RepmgrdCheckTest {
    @TempDir
    Path dir;

    CheckResult check(String confText) {
        DoctorReport report = new DoctorReport();
        new RepmgrdCheck(Optional.empty(), Optional.of(RepmgrConf.parse(confText, dir.resolve("repmgr.conf")))).run(report);
        return report.results().get(0);
    }

    @Test
    void aPidFileNamingALiveProcessPasses() throws Exception {
        Path pidFile = dir.resolve("repmgrd.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");

        CheckResult r = check("repmgrd_pid_file='" + pidFile + "'");

        assertThat(r.status()).isEqualTo(CheckStatus.OK);
        assertThat(r.message()).contains("pid " + ProcessHandle.current().pid());
    }

    @Test
    void aPidFileNamingAGoneProcessFailsWithHowToStartIt() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path pidFile = dir.resolve("repmgrd.pid");
        Files.writeString(pidFile, Long.toString(gone.pid()));

        CheckResult r = check("repmgrd_pid_file='" + pidFile + "'");

        assertThat(r.failed()).isTrue();
        assertThat(r.message()).contains("which is gone");
        assertThat(r.fix()).hasValueSatisfying(f -> assertThat(f).contains("repmgrd -f " + dir.resolve("repmgr.conf")));
    }

    @Test
    void aMissingPidFileFails() {
        assertThat(check("repmgrd_pid_file='" + dir.resolve("absent.pid") + "'").failed()).isTrue();
    }

    @Test
    void withNothingToAskTheCheckIsSkippedNotFailed() {
        assertThat(check("node_id=1").status()).isEqualTo(CheckStatus.SKIPPED);
    }
}
