package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
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

    /** How many connections wait in {@code server}'s backlog (the probes only connect and close), taken out. */
    private static int accepted(ServerSocket server) throws IOException {
        server.setSoTimeout(200);
        int count = 0;
        while (true) {
            try (Socket ignored = server.accept()) {
                count++;
            } catch (SocketTimeoutException e) {
                return count;
            }
        }
    }

    /** Probing for {@code ms} with the probe port, the data peer and the witness on the loopback. */
    private static PeerReachability probing(int probePort, Peer standby, Peer witness, long ms) throws Exception {
        PeerReachability reach = new PeerReachability(directory(List.of(standby, witness)), OptionalInt.of(probePort),
                Duration.ofMillis(100), System::nanoTime).start();
        Thread.sleep(ms);
        reach.close();
        return reach;
    }

    @Test
    void aDataPeerWhoseWatchAcceptsOnTheProbePortCostsNoConnectToPostgresThereNorToTheWitness() throws Exception {
        try (ServerSocket standbyPostgres = listen(0); ServerSocket witnessPostgres = listen(0);
             ProbeListener watch = ProbeListener.start(0).orElseThrow()) {
            Peer standby = new Peer("n2", "standby", "127.0.0.1", standbyPostgres.getLocalPort());
            Peer witness = new Peer("n3", "witness", "127.0.0.1", witnessPostgres.getLocalPort());

            PeerReachability reach = probing(watch.port(), standby, witness, 1_000);

            assertThat(reach.recentlyReached(standby, Duration.ofMillis(500))).isTrue();
            assertThat(accepted(standbyPostgres)).as("connects to the standby's PostgreSQL port").isZero();
            assertThat(accepted(witnessPostgres)).as("connects to the witness's PostgreSQL port").isZero();
        }
    }

    @Test
    void aDataPeerWhoseProbePortRefusesIsConnectedOnItsPostgresPortAndTheWitnessToo() throws Exception {
        try (ServerSocket standbyPostgres = listen(0); ServerSocket witnessPostgres = listen(0)) {
            Peer standby = new Peer("n2", "standby", "127.0.0.1", standbyPostgres.getLocalPort());
            Peer witness = new Peer("n3", "witness", "127.0.0.1", witnessPostgres.getLocalPort());

            PeerReachability reach = probing(closedPort(), standby, witness, 1_000);

            assertThat(reach.recentlyReached(standby, Duration.ofMillis(500))).isTrue();
            assertThat(reach.probePortSkipped("n2")).as("a refusal is the watch down, not a filtered port").isFalse();
            assertThat(accepted(standbyPostgres)).as("connects to the standby's PostgreSQL port")
                    .isGreaterThanOrEqualTo(3);
            assertThat(accepted(witnessPostgres)).as("connects to the witness's PostgreSQL port")
                    .isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aSilentProbePortWhileThePostgresPortAnswersIsLeftOutForAWhile() throws Exception {
        try (SilentPort silent = new SilentPort(); ServerSocket standbyPostgres = listen(0);
             ServerSocket witnessPostgres = listen(0)) {
            Peer standby = new Peer("n2", "standby", "127.0.0.1", standbyPostgres.getLocalPort());
            Peer witness = new Peer("n3", "witness", "127.0.0.1", witnessPostgres.getLocalPort());

            PeerReachability reach = probing(silent.port(), standby, witness, 1_500);

            assertThat(reach.recentlyReached(standby, Duration.ofMillis(500))).isTrue();
            assertThat(reach.probePortSkipped("n2")).isTrue();
            assertThat(reach.probePortSkipped("n3")).as("the witness is never asked on the probe port").isFalse();
            assertThat(accepted(standbyPostgres)).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aProbePortIsLeftOutOnlyAfterThreeSilentRoundsInARow() throws Exception {
        // Seen on the lab: a link back between a round's two connects made one silent round; that alone is no filter.
        try (SilentPort silent = new SilentPort(); ServerSocket standbyPostgres = listen(0);
             ServerSocket witnessPostgres = listen(0)) {
            Peer standby = new Peer("n2", "standby", "127.0.0.1", standbyPostgres.getLocalPort());
            Peer witness = new Peer("n3", "witness", "127.0.0.1", witnessPostgres.getLocalPort());
            try (PeerReachability reach = new PeerReachability(directory(List.of(standby, witness)),
                    OptionalInt.of(silent.port()), Duration.ofMillis(100), System::nanoTime)) {
                reach.peersNow();
                for (int round = 1; round <= 2; round++) {
                    assertThat(reach.probeAll()).isTrue();
                    assertThat(reach.probePortSkipped("n2")).as("after silent round %d", round).isFalse();
                }
                assertThat(reach.probeAll()).isTrue();
                assertThat(reach.probePortSkipped("n2")).as("after the third").isTrue();
            }
        }
    }

    /** A listener that never accepts, its backlog full: further SYNs are dropped, as a firewall drops them. */
    private static final class SilentPort implements AutoCloseable {
        private final ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final List<Socket> filling = new ArrayList<>();

        SilentPort() throws IOException {
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket();
                filling.add(s);
                try {
                    s.connect(full.getLocalSocketAddress(), 200);
                } catch (IOException dropped) {
                    // the backlog is full already
                }
            }
        }

        int port() {
            return full.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket s : filling) {
                s.close();
            }
            full.close();
        }
    }
}
