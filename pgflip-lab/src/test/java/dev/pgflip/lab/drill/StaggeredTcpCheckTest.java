package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaggeredTcpCheckTest {
    private static final Duration STAGGER = Duration.ofMillis(20);

    @Test
    void answersWhenTheListenerAccepts() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThat(StaggeredTcpCheck.answers(address(server), Duration.ofMillis(250), STAGGER)).isTrue();
        }
    }

    @Test
    void doesNotAnswerWhenNothingListensAndReturnsOnceTheBudgetIsSpent() throws IOException {
        InetSocketAddress closed;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = address(server);
        }
        long start = System.nanoTime();
        assertThat(StaggeredTcpCheck.answers(closed, Duration.ofMillis(100), STAGGER)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100))
                .isLessThan(Duration.ofSeconds(1));
    }

    /**
     * A full accept queue drops SYNs, like a floating IP that just moved: the first attempts go unanswered and would
     * only be retransmitted after the kernel's 1 s initial RTO. A later attempt, started while they wait, gets through
     * once the queue has room, well inside a budget shorter than that RTO.
     */
    @Test
    void aLaterAttemptGetsThroughWhileAnEarlierSynIsLost() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(address(server), 100);
                        fillers.add(s);
                    } catch (IOException e) {
                        s.close();
                    }
                }
                Thread drain = new Thread(() -> {
                    try {
                        Thread.sleep(150);
                        while (!server.isClosed()) {
                            server.accept().close();
                        }
                    } catch (IOException | InterruptedException ignored) {
                        // the test is over
                    }
                }, "test-drain");
                drain.setDaemon(true);
                drain.start();
                assertThat(StaggeredTcpCheck.answers(address(server), Duration.ofMillis(800), STAGGER)).isTrue();
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    private static InetSocketAddress address(ServerSocket server) {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }
}
