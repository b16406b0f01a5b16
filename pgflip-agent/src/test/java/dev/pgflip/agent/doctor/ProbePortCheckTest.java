package dev.pgflip.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Real sockets on loopback: n2 asks n1 (listening at 127.0.0.1) and n4 (127.0.0.2, nothing listening: refused). */
class ProbePortCheckTest {
    static ClusterMember member(String name, String type, String host, boolean local) {
        return new ClusterMember(name.charAt(1) - '0', name, type, host, 5432, local, type);
    }

    @Test
    void everyOtherDataNodeAcceptingPasses() throws Exception {
        try (ServerSocket watch = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            ClusterView cluster = new ClusterView(List.of(member("n1", "primary", "127.0.0.1", false),
                    member("n2", "standby", "198.18.0.12", true), member("n3", "witness", "198.18.0.13", false)));
            CheckResult r = ProbePortCheck.run(OptionalInt.of(watch.getLocalPort()), Optional.of(cluster));
            assertThat(r.status()).isEqualTo(CheckStatus.OK);
            assertThat(r.message()).contains("answers on n1 (127.0.0.1:" + watch.getLocalPort() + ")")
                    .doesNotContain("n3");
        }
    }

    @Test
    void aNodeThatRefusesFailsAndSaysWhatToDo() throws Exception {
        try (ServerSocket watch = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = watch.getLocalPort();
            ClusterView cluster = new ClusterView(List.of(member("n1", "primary", "127.0.0.1", false),
                    member("n2", "standby", "198.18.0.12", true), member("n4", "standby", "127.0.0.2", false)));
            CheckResult r = ProbePortCheck.run(OptionalInt.of(port), Optional.of(cluster));
            assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(r.message()).contains("n4 (127.0.0.2:" + port + ") refused the connection").doesNotContain("n1");
            assertThat(r.fix()).get().asString().contains("open TCP " + port + " between the database nodes");
        }
    }

    @Test
    void withoutTheKeyOnTheWitnessOrWithoutTheClusterNothingIsAsked() {
        ClusterView onWitness = new ClusterView(List.of(member("n1", "primary", "127.0.0.1", false),
                member("n3", "witness", "198.18.0.13", true)));
        assertThat(ProbePortCheck.run(OptionalInt.empty(), Optional.of(onWitness)).status())
                .isEqualTo(CheckStatus.SKIPPED);
        assertThat(ProbePortCheck.run(OptionalInt.of(5439), Optional.of(onWitness)).message()).contains("witness");
        assertThat(ProbePortCheck.run(OptionalInt.of(5439), Optional.empty()).status()).isEqualTo(CheckStatus.SKIPPED);
    }
}
