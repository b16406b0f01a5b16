package dev.pgflip.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookCommandTest {
    @TempDir
    Path dir;

    @Test
    void pgflipItsJarAndAWrapperNamedAfterItCount() {
        assertThat(HookCommand.parse("/usr/local/bin/pgflip promote --config /etc/pgflip/pgflip.yaml").runsPgflip("promote")).isTrue();
        assertThat(HookCommand.parse("java -jar /opt/pgflip.jar promote -c x.yaml").runsPgflip("promote")).isTrue();
        assertThat(HookCommand.parse("/tmp/lab/bin/pgflip-promote /tmp/lab/n2/repmgr.conf /tmp/lab/n2/pgflip.yaml")
                .runsPgflip("promote")).isTrue();
        assertThat(HookCommand.parse("/tmp/lab/bin/pgflip-event --config c.yaml %n %e %s \"%t\" \"%d\"").runsPgflip("event")).isTrue();
    }

    @Test
    void repmgrsOwnCommandOrTheWrongVerbDoNot() {
        assertThat(HookCommand.parse("/usr/bin/repmgr standby promote -f /etc/repmgr.conf --log-to-file").runsPgflip("promote")).isFalse();
        assertThat(HookCommand.parse("/usr/local/bin/pgflip event --config c.yaml").runsPgflip("promote")).isFalse();
        assertThat(HookCommand.parse("/usr/local/bin/notpgflip promote").runsPgflip("promote")).isFalse();
        assertThat(HookCommand.parse("").runsPgflip("promote")).isFalse();
    }

    @Test
    void quotedWordsStayWhole() {
        HookCommand c = HookCommand.parse("'/opt/my tools/pgflip' event \"%t\" '%d'");

        assertThat(c.words()).containsExactly("/opt/my tools/pgflip", "event", "%t", "%d");
        assertThat(c.program()).isEqualTo("/opt/my tools/pgflip");
    }

    @Test
    void theProgramMustBeAnExecutableFileOrOnPath() throws Exception {
        Path exe = dir.resolve("pgflip");
        Files.writeString(exe, "#!/bin/sh\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path plain = dir.resolve("pgflip-plain");
        Files.writeString(plain, "not executable");

        assertThat(HookCommand.parse(exe + " promote").unrunnableProgram(Map.of())).isEmpty();
        assertThat(HookCommand.parse(plain + " promote").unrunnableProgram(Map.of()))
                .hasValueSatisfying(why -> assertThat(why).contains("not executable"));
        assertThat(HookCommand.parse(dir.resolve("missing") + " promote").unrunnableProgram(Map.of())).isPresent();
        assertThat(HookCommand.parse("pgflip promote").unrunnableProgram(Map.of("PATH", "/nonexistent:" + dir))).isEmpty();
        assertThat(HookCommand.parse("pgflip promote").unrunnableProgram(Map.of("PATH", "/nonexistent")))
                .hasValueSatisfying(why -> assertThat(why).contains("not on PATH"));
    }
}
