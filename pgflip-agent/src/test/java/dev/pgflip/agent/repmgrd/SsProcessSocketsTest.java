package dev.pgflip.agent.repmgrd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pgflip.agent.process.ProcessRunner;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What {@code ss} shows of a process's connections, read from its real output: a line captured on the lab from a
 * standby's repmgrd stuck on its primary, and this JVM's own connection to a server that acknowledges a request and
 * never answers it, which {@code ss -K} then ends under a blocked read (as root, which CI is).
 */
class SsProcessSocketsTest {
    /** n2's repmgrd (PID 12733) on the lab, its query to n1 unanswered for 5.2 s (2026-12-07), and its local one. */
    static final String LAB_LINES = """
            0      0               198.18.0.12:50888          198.18.0.12:5432  users:(("repmgrd",pid=12733,fd=4)) \
            bbr wscale:10,10 rto:204 rtt:0.259/0.219 ato:40 mss:32768 bytes_sent:4214 bytes_received:8986 lastsnd:424 \
            lastrcv:424 \
            lastack:424 pacing_rate 935689180072bps delivered:45 app_limited busy:28ms rcv_space:54272 snd_wnd:65536
            0      0               198.18.0.12:50214          198.18.0.11:5432  users:(("repmgrd",pid=12733,fd=5)) \
            bbr wscale:10,10 rto:208 rtt:6.177/11.848 ato:40 mss:1448 bytes_sent:1754 bytes_received:2873 lastsnd:5252 \
            lastrcv:6268 \
            lastack:5204 pacing_rate 23646678944bps delivered:23 app_limited busy:72ms rcv_space:14480 snd_wnd:65536
            0      0               198.18.0.12:57808          198.18.0.11:5432  users:(("java",pid=12740,fd=31)) \
            cubic lastsnd:100 lastrcv:9000 lastack:100
            0      0               [::1]:41000          [::1]:5432  users:(("repmgrd",pid=12733,fd=7),("repmgrd",pid=777,fd=7)) \
            cubic lastsnd:10 lastrcv:20
            """;

    @Test
    void theLinesOfTheProcessBecomeItsConnectionsWithTheirUnansweredTime() {
        List<PeerSocket> sockets = SsProcessSockets.parse(LAB_LINES, 12733, "repmgrd");

        assertThat(sockets).containsExactly(
                new PeerSocket("198.18.0.12", 50888, "198.18.0.12", 5432, 424, 424, 8986),
                new PeerSocket("198.18.0.12", 50214, "198.18.0.11", 5432, 5252, 6268, 2873),
                new PeerSocket("::1", 41000, "::1", 5432, 10, 20, 0));
        assertThat(sockets.get(0).unansweredMs()).isZero();
        assertThat(sockets.get(1).unansweredMs()).isEqualTo(5252);
        assertThat(sockets.get(2).unansweredMs()).as("nothing ever received: still starting").isZero();
        assertThat(SsProcessSockets.parse(LAB_LINES, 1273, "repmgrd")).as("a PID that is a prefix of another").isEmpty();
        assertThat(SsProcessSockets.parse(LAB_LINES, 12740, "repmgrd")).as("the PID now another program's").isEmpty();
        assertThat(SsProcessSockets.parse(LAB_LINES, 12740, "java")).hasSize(1);
    }

    @Test
    void aConnectionWhoseRequestIsNeverAnsweredShowsItAndEndsUnderABlockedRead() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "ss -K needs CAP_NET_ADMIN: run as root");
        SsProcessSockets ss = new SsProcessSockets(new ProcessRunner());
        long self = ProcessHandle.current().pid();
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()), 2_000);
            try (Socket accepted = silent.accept()) {
                // As on a kept connection: answered once, then a request sent well after that answer.
                accepted.getOutputStream().write('Z');
                accepted.getOutputStream().flush();
                assertThat(client.getInputStream().read()).isEqualTo('Z');
                Thread.sleep(100);
                OutputStream request = client.getOutputStream();
                request.write("SELECT pg_catalog.pg_is_in_recovery()".getBytes(StandardCharsets.US_ASCII));
                request.flush();
                Thread.sleep(300);

                PeerSocket mine = ss.established(self, ProcessHandle.current().info().command()
                                .map(c -> java.nio.file.Path.of(c).getFileName().toString()).orElse("java")).stream()
                        .filter(s -> s.localPort() == client.getLocalPort()).findFirst().orElseThrow();
                assertThat(mine.peerPort()).isEqualTo(silent.getLocalPort());
                assertThat(mine.unansweredMs()).isGreaterThanOrEqualTo(250);

                client.setSoTimeout(20_000);
                InputStream answer = client.getInputStream();
                Thread reader = Thread.currentThread();
                Thread ender = new Thread(() -> {
                    try {
                        Thread.sleep(300);
                        assertThat(ss.destroy(mine)).isEmpty();
                    } catch (InterruptedException e) {
                        reader.interrupt();
                    }
                });
                ender.start();
                long start = System.nanoTime();
                assertThatThrownBy(answer::read).isInstanceOf(SocketException.class);
                ender.join();
                assertThat((System.nanoTime() - start) / 1_000_000).as("ended, not timed out").isLessThan(15_000);
                assertThat(ss.destroy(mine)).as("a connection gone already").isPresent();
            }
        }
    }

    @Test
    void aConnectionThatIsNotThereCannotBeEnded() {
        assumeTrue("root".equals(System.getProperty("user.name")), "ss -K needs CAP_NET_ADMIN: run as root");
        Optional<String> refused = new SsProcessSockets(new ProcessRunner())
                .destroy(new PeerSocket("127.0.0.1", 1, "127.0.0.1", 2, 0, 0, 0));
        assertThat(refused).hasValueSatisfying(why -> assertThat(why).contains("ended no connection"));
    }
}
