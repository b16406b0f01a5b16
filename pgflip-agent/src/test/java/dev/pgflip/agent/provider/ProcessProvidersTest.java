package dev.pgflip.agent.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.config.ExecConfig;
import dev.pgflip.agent.config.LocalConfig;
import dev.pgflip.agent.config.LocalConfig.AddressHolder;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.time.Deadline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local and exec providers with recording shell scripts standing in for ip, arping and move-ip. */
class ProcessProvidersTest {
    static final NodeIdentity N2 = new NodeIdentity("n2", OptionalLong.of(1002));

    @TempDir
    Path dir;

    Path script(String name, String body) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        return f;
    }

    List<String> calls() throws Exception {
        Path log = dir.resolve("calls.log");
        for (int i = 0; i < 500 && !Files.readString(log).contains("arping"); i++) {
            Thread.sleep(20); // arping runs in the background: wait for it up to 10 s, not 1 s, on a loaded machine
        }
        return Files.readAllLines(log);
    }

    @Test
    void localProviderRemovesFromPreviousHoldersAddsHereAndAnnounces() throws Exception {
        Path log = dir.resolve("calls.log");
        Files.writeString(log, "");
        // "del" fails like it does on a dead holder; that must not stop the move.
        Path ip = script("ip", "echo \"ip $*\" >> " + log + "\ncase \"$*\" in *del*) echo 'Cannot find device' >&2; exit 1;; esac");
        Path arping = script("arping", "echo \"arping $*\" >> " + log);
        LocalConfig config = new LocalConfig("vn-n2", Optional.empty(),
                List.of(new AddressHolder(Optional.of("n1"), "vn-n1")));
        LocalFlipProvider provider = new LocalFlipProvider(config, "198.18.0.100", new ProcessRunner(), ip.toString(), arping.toString());

        AssignResult r = provider.assign(N2, Deadline.after(Duration.ofSeconds(5)));

        assertThat(r.alreadyHeld()).isFalse();
        assertThat(calls()).containsExactly(
                "ip -n n1 addr del 198.18.0.100/32 dev vn-n1",
                "ip addr replace 198.18.0.100/32 dev vn-n2",
                "arping -U -c 3 -I vn-n2 198.18.0.100");
    }

    @Test
    void localProviderInANamespaceAnnouncesThroughIpNetnsExec() throws Exception {
        Path log = dir.resolve("calls.log");
        Files.writeString(log, "");
        Path ip = script("ip", "echo \"ip $*\" >> " + log);
        LocalConfig config = new LocalConfig("vn-n2", Optional.of("n2"), List.of());
        new LocalFlipProvider(config, "198.18.0.100", new ProcessRunner(), ip.toString(), "arping")
                .assign(N2, Deadline.after(Duration.ofSeconds(5)));

        assertThat(calls()).containsExactly(
                "ip -n n2 addr replace 198.18.0.100/32 dev vn-n2",
                "ip netns exec n2 arping -U -c 3 -I vn-n2 198.18.0.100");
    }

    @Test
    void localProviderFailingToAddIsAFlipFailureWithTheReason() throws Exception {
        Path ip = script("ip", "echo 'RTNETLINK answers: Operation not permitted' >&2; exit 2");
        LocalFlipProvider provider = new LocalFlipProvider(new LocalConfig("eth0", Optional.empty(), List.of()),
                "198.18.0.100", new ProcessRunner(), ip.toString(), "arping");

        assertThatThrownBy(() -> provider.assign(N2, Deadline.after(Duration.ofSeconds(5))))
                .isInstanceOf(FlipException.class)
                .hasMessageContaining("RTNETLINK answers: Operation not permitted");
    }

    @Test
    void localStatusSeesTheAddress() throws Exception {
        Path ip = script("ip", "echo '2: eth0    inet 198.18.0.100/32 scope global eth0'");
        FlipStatus s = new LocalFlipProvider(new LocalConfig("eth0", Optional.empty(), List.of()), "198.18.0.100",
                new ProcessRunner(), ip.toString(), "arping").status();
        assertThat(s.onThisNode()).contains(true);
    }

    @Test
    void execProviderPassesTheEnvironment() throws Exception {
        Path out = dir.resolve("env.txt");
        Path cmd = script("move-ip", "echo \"$PGFLIP_ACTION $PGFLIP_IP $PGFLIP_NODE $PGFLIP_DROPLET_ID $1\" > " + out);
        ExecFlipProvider provider = new ExecFlipProvider(new ExecConfig(List.of(cmd.toString(), "arg1")), "198.18.0.100", N2, new ProcessRunner());

        provider.assign(N2, Deadline.after(Duration.ofSeconds(5)));

        assertThat(Files.readString(out).strip()).isEqualTo("assign 198.18.0.100 n2 1002 arg1");
    }

    @Test
    void execProviderFailureCarriesTheLastStderrLine() throws Exception {
        Path cmd = script("move-ip", "echo first >&2; echo 'no route to api' >&2; exit 7");
        ExecFlipProvider provider = new ExecFlipProvider(new ExecConfig(List.of(cmd.toString())), "198.18.0.100", N2, new ProcessRunner());

        assertThatThrownBy(() -> provider.assign(N2, Deadline.after(Duration.ofSeconds(5))))
                .isInstanceOf(FlipException.class)
                .hasMessageContaining("exited with 7: no route to api");
    }

    @Test
    void execProviderIsKilledAtTheDeadline() throws Exception {
        Path pid = dir.resolve("move-ip.pid");
        Path cmd = script("move-ip", "echo $$ > " + pid + "\nexec sleep 10");
        ExecFlipProvider provider = new ExecFlipProvider(new ExecConfig(List.of(cmd.toString())), "198.18.0.100", N2, new ProcessRunner());

        assertThatThrownBy(() -> provider.assign(N2, Deadline.after(Duration.ofSeconds(1))))
                .isInstanceOf(FlipException.class)
                .hasMessageMatching(".*did not finish within \\d+ms and was killed");
        // Not how long it took, which a loaded machine stretches: that the command is gone once assign gives up.
        assertThat(pid).as("the command started").exists();
        long commandPid = Long.parseLong(Files.readString(pid).strip());
        assertThat(ProcessHandle.of(commandPid).filter(ProcessHandle::isAlive)).as("pid %d still running", commandPid)
                .isEmpty();
    }
}
