package dev.pgflip.agent.repmgrd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: SIGHUP reaches one the kernel names as expected, and only that one. */
class ProcessHangUpTest {
    final ProcessHangUp hangUp = new ProcessHangUp(new ProcessRunner());

    @Test
    void aProcessOfThatNameGetsSigHup(@TempDir Path dir) throws Exception {
        // perl (Debian's perl-base is essential) started under the name repmgrd: the kernel's comm is that name. Its
        // handler, like repmgrd's, takes SIGHUP even when the test runs under nohup, which makes a child ignore it.
        Path named = Files.createSymbolicLink(dir.resolve("repmgrd"), Path.of("/usr/bin/perl"));
        Process p = new ProcessBuilder(named.toString(), "-e", "$| = 1; $SIG{HUP} = sub { exit 7 }; print qq(ready\\n);"
                + " sleep 30; exit 0").start();
        try {
            assertThat(new String(p.getInputStream().readNBytes(6))).as("its handler is set").isEqualTo("ready\n");
            assertThat(hangUp.hangUp(p.pid(), "repmgrd")).isEmpty();
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("its SIGHUP handler ran").isEqualTo(7);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aProcessOfAnotherNameIsLeftAlone() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(hangUp.hangUp(p.pid(), "repmgrd")).get().asString()
                    .contains("process " + p.pid() + " is sleep, not repmgrd");
            assertThat(p.waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aProcessThatIsGoneIsSaid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertThat(hangUp.hangUp(pid, "repmgrd")).get().asString().contains("process " + pid + " is gone");
    }
}
