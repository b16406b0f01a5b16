package dev.pgflip.agent.repmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendered event hook run by the real shell, with a stand-in for the agent that reports how it was started. */
class HookScriptsTest {
    @TempDir
    Path dir;

    @Test
    void theEventHookReturnsAtOnceAndItsAgentRunsInTheIdleClassInTheCallersSession() throws Exception {
        Path report = dir.resolve("report");
        Path release = dir.resolve("release");
        Path agent = script("agent", "#!/bin/sh\n"
                + "while [ ! -e " + release + " ]; do sleep 0.05; done\n"
                + "{ echo \"args $*\"; chrt -p $$; echo \"nice $(cut -d' ' -f19 /proc/$$/stat)\";"
                + " echo \"session $(cut -d' ' -f6 /proc/$$/stat)\"; echo \"called_at $PGFLIP_CALLED_AT\"; } > "
                + report + ".tmp && mv " + report + ".tmp " + report + "\n");
        Path hook = script("pgflip-event", HookScripts.eventHook(agent, dir.resolve("hook.log"), "test"));

        Process caller = new ProcessBuilder("setsid", "sh", "-c", "echo $$ > " + dir.resolve("caller") + "; exec " + hook
                + " --config /etc/pgflip/agent.yaml 2 standby_promote 1 \"2026-01-01 00:00:00+00\" 'a b'").start();
        assertThat(caller.waitFor(10, TimeUnit.SECONDS))
                .as("repmgrd waits for the hook: it must return while the agent still runs").isTrue();
        assertThat(caller.exitValue()).isZero();
        assertThat(report).doesNotExist();
        Files.createFile(release);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(report) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<String> lines = Files.readAllLines(report);
        String callerSession = Files.readString(dir.resolve("caller")).strip();
        assertThat(lines).contains("args event --config /etc/pgflip/agent.yaml 2 standby_promote 1 2026-01-01 00:00:00+00 a b",
                "nice 10", "session " + callerSession);
        assertThat(lines).anyMatch(l -> l.matches("pid \\d+'s current scheduling policy: SCHED_IDLE"));
        assertThat(lines).anyMatch(l -> l.matches("called_at \\d{13}"));
        assertThat(Files.readString(dir.resolve("hook.log"))).isEmpty();
    }

    private Path script(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
