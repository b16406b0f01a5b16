package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real TCP connects on the loopback: one port listening, one closed. */
class PeerReachabilityTest {

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private static PeerDirectory directory(List<Peer> peers) {
        return new PeerDirectory() {
            @Override
            public List<Peer> get() {
                return peers;
            }

            @Override
            public List<Peer> readNow() {
                return peers;
            }
        };
    }

    @Test
    void everyPeerIsTriedAndOnlyTheListeningOneCountsAsReached() throws Exception {
        try (ServerSocket open = listen(0)) {
            Peer up = new Peer("n2", "standby", "127.0.0.1", open.getLocalPort());
            Peer refusing = new Peer("n3", "witness", "127.0.0.1", closedPort());
            Peer unresolvable = new Peer("n4", "standby", "no-such-host.invalid", 5432);

            assertThat(PeerReachability.connectAll(List.of(refusing, unresolvable, up), Duration.ofSeconds(2)))
                    .containsExactly(up);
        }
    }

    @Test
    void aSlowFirstReadOfThePeerListIsNotCountedAsIsolation() throws Exception {
        try (ServerSocket open = listen(0)) {
            Peer standby = new Peer("n2", "standby", "127.0.0.1", open.getLocalPort());
            // The first local read at start-up took seconds on a loaded machine: nothing was probed meanwhile.
            PeerDirectory slowAtFirst = new PeerDirectory() {
                private boolean first = true;

                @Override
                public synchronized List<Peer> get() {
                    if (first) {
                        first = false;
                        try {
                            Thread.sleep(1_500);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return List.of(standby);
                }

                @Override
                public List<Peer> readNow() {
                    return get();
                }
            };
            try (PeerReachability reach = new PeerReachability(slowAtFirst, Duration.ofMillis(250), System::nanoTime)
                    .start()) {
                Duration longest = Duration.ZERO;
                long until = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
                while (System.nanoTime() < until) {
                    Duration now = reach.isolatedFor();
                    longest = now.compareTo(longest) > 0 ? now : longest;
                    Thread.sleep(5);
                }
                assertThat(longest).as("the listening peer was never out of reach").isLessThan(Duration.ofMillis(1_000));
                assertThat(reach.recentlyReached(standby, Duration.ofSeconds(1))).isTrue();
            }
        }
    }

    @Test
    void afterARoundThatReachedNobodyTheNextComesAtOnceNotAProbePeriodLater() throws Exception {
        int port = closedPort();
        Peer standby = new Peer("n2", "standby", "127.0.0.1", port);
        // A probe period far longer than the wait below: only the quick retry can notice the peer in time.
        try (PeerReachability reach = new PeerReachability(directory(List.of(standby)), Duration.ofSeconds(30),
                System::nanoTime).start()) {
            Thread.sleep(300);
            assertThat(reach.isolatedFor()).as("nobody answered yet").isGreaterThanOrEqualTo(Duration.ofMillis(250));
            try (ServerSocket back = listen(port)) {
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (reach.isolatedFor().compareTo(Duration.ofSeconds(1)) > 0 || !reach.recentlyReached(standby,
                        Duration.ofSeconds(1))) {
                    assertThat(System.nanoTime()).as("the peer back on its port is reached again").isLessThan(until);
                    Thread.sleep(20);
                }
            }
        }
    }
}
