package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Probe period 250 ms: the primary is silent once it has not answered for 375 ms; the witness does not count. */
class PrimarySilenceTest {
    final Peer n1 = new Peer("n1", "primary", "198.18.0.11", 5432);
    final Peer n3 = new Peer("n3", "witness", "198.18.0.13", 5432);
    final Map<String, Long> lastHeardMsAgo = new ConcurrentHashMap<>();
    List<Peer> listed = List.of(n1, n3);
    final PeerView view = new PeerView() {
        @Override
        public List<Peer> peers() {
            return listed;
        }

        @Override
        public List<Peer> peersNow() {
            return listed;
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
    final PrimarySilence silence = new PrimarySilence(view, Duration.ofMillis(250));

    @Test
    void silentAfterOneAndAHalfProbePeriods() {
        lastHeardMsAgo.put("n3", 0L);
        lastHeardMsAgo.put("n1", 375L);
        assertThat(silence.getAsBoolean()).isFalse();
        lastHeardMsAgo.put("n1", 376L);
        assertThat(silence.getAsBoolean()).isTrue();
    }

    @Test
    void onlyThePrimaryCounts() {
        lastHeardMsAgo.put("n1", 0L);
        assertThat(silence.getAsBoolean()).as("the witness never heard").isFalse();
        listed = List.of(n3);
        assertThat(silence.getAsBoolean()).as("no primary listed").isFalse();
    }
}
