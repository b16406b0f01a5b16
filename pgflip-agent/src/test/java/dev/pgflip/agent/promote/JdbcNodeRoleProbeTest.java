package dev.pgflip.agent.promote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.node.NodeRole;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JdbcNodeRoleProbeTest {
    @Test
    void refusedConnectionIsUnreachableNotAnException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (JdbcNodeRoleProbe probe = new JdbcNodeRoleProbe(new DatabaseConfig("127.0.0.1", port, "repmgr", "repmgr", Optional.empty()))) {
            assertThat(probe.probe()).isEqualTo(NodeRole.UNREACHABLE);
            assertThat(probe.lastError()).isNotEmpty();
        }
    }

    @Test
    void silentServerIsUnreachableWithinAboutASecond() throws Exception {
        // Accepts TCP but never speaks: the 1 s timeouts must bound the probe.
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                JdbcNodeRoleProbe probe = new JdbcNodeRoleProbe(new DatabaseConfig("127.0.0.1", s.getLocalPort(), "repmgr", "repmgr", Optional.empty()))) {
            long start = System.nanoTime();
            assertThat(probe.probe()).isEqualTo(NodeRole.UNREACHABLE);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
        }
    }
}
