package dev.pgflip.agent.promote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.node.NodeRole;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    void silentServerIsUnreachableThroughTheProbesOwnTimeout() throws Exception {
        // The server hangs up long after the 1 s timeouts: a probe without them would end on the hang-up instead, and
        // its error would not name a timeout. The hang-up only keeps such a probe from hanging the build.
        try (SilentServer server = new SilentServer(Duration.ofSeconds(20));
                JdbcNodeRoleProbe probe = new JdbcNodeRoleProbe(new DatabaseConfig("127.0.0.1", server.port(), "repmgr", "repmgr", Optional.empty()))) {
            assertThat(probe.probe()).isEqualTo(NodeRole.UNREACHABLE);
            assertThat(probe.lastError()).containsIgnoringCase("timed out");
        }
    }

    /**
     * Accepts TCP connections and never speaks on them; at {@code hangUpAfter} (or when closed) drops them all and
     * stops listening, so a client that retries (pgjdbc tries with SSL, then without) cannot wait forever either.
     */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new ArrayList<>();
        private final Thread holder;

        SilentServer(Duration hangUpAfter) throws IOException {
            holder = new Thread(() -> holdUntil(System.nanoTime() + hangUpAfter.toNanos()), "silent-server");
            holder.setDaemon(true);
            holder.start();
        }

        private void holdUntil(long hangUpNanos) {
            try (listener) {
                for (long left; (left = hangUpNanos - System.nanoTime()) > 0; ) {
                    listener.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    try {
                        held.add(listener.accept());
                    } catch (SocketTimeoutException e) {
                        // hang-up time
                    }
                }
            } catch (IOException e) {
                // closed by the test
            } finally {
                held.forEach(SilentServer::hangUp);
            }
        }

        private static void hangUp(Socket s) {
            try {
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            holder.join();
        }
    }
}
