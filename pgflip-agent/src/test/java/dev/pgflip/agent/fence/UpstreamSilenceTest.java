package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Probe period 250 ms: the node this standby streams from is silent once it has not answered for 375 ms, whatever type
 * the peer list gives it; other nodes do not count.
 */
class UpstreamSilenceTest {
    final Peer n1 = new Peer("n1", "standby", "198.18.0.11", 5432); // listed before a failover made it the primary
    final Peer n3 = new Peer("n3", "witness", "198.18.0.13", 5432);
    final Map<String, Long> lastHeardMsAgo = new ConcurrentHashMap<>();
    final PeerView view = new PeerView() {
        @Override
        public List<Peer> peers() {
            return List.of(n1, n3);
        }

        @Override
        public List<Peer> peersNow() {
            return peers();
        }

        @Override
        public Duration isolatedFor() {
            return Duration.ZERO;
        }

        @Override
        public boolean recentlyReached(Peer peer, Duration within) {
            Long ago = lastHeardMsAgo.get(peer.name());
            return ago != null && ago <= within.toMillis();
        }
    };
    final UpstreamSilence silence = new UpstreamSilence(view, Duration.ofMillis(250));

    @Test
    void silentAfterOneAndAHalfProbePeriods() {
        lastHeardMsAgo.put("n3", 0L);
        lastHeardMsAgo.put("n1", 375L);
        assertThat(silence.test("198.18.0.11")).isFalse();
        lastHeardMsAgo.put("n1", 376L);
        assertThat(silence.test("198.18.0.11")).isTrue();
    }

    @Test
    void onlyTheNodeStreamedFromCounts() {
        lastHeardMsAgo.put("n1", 0L);
        assertThat(silence.test("198.18.0.11")).as("the witness never heard").isFalse();
        assertThat(silence.test("198.18.0.99")).as("a host no peer has").isFalse();
    }
}
