package dev.pgflip.agent.repmgrd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.node.WatchLog;
import dev.pgflip.agent.node.WatchRecorder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Standby n2 (198.18.0.12) of primary n1 (198.18.0.11), repmgrd PID 4242, stale after 5 s: its connection to n1 is
 * ended only while repmgrd has not seen n1 for 5 s and a request on it has waited 5 s for any answer; idle connections
 * and a looping repmgrd are left alone; a refusal is reported once.
 */
class StuckRequestReleaseTest {
    static final long PID = 4242;

    RepmgrdSight sight = seen(0);
    OptionalLong pid = OptionalLong.of(PID);
    List<PeerSocket> held = new ArrayList<>();
    final List<PeerSocket> destroyed = new ArrayList<>();
    Optional<String> refusal = Optional.empty();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** What the metrics were told: true for each connection ended, false for each refusal reported. */
    final List<Boolean> counted = new ArrayList<>();
    final StuckRequestRelease release = new StuckRequestRelease(() -> sight, () -> pid, new ProcessSockets() {
        @Override
        public List<PeerSocket> established(long of, String command) {
            return of == PID && command.equals("repmgrd") ? held : List.of();
        }

        @Override
        public Optional<String> destroy(PeerSocket socket) {
            if (refusal.isEmpty()) {
                destroyed.add(socket);
            }
            return refusal;
        }
    }, new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n2", PromoteTimeline.NONE),
            new WatchRecorder() {
                @Override
                public void repmgrdUnblocked(boolean ended) {
                    counted.add(ended);
                }
            }, StalledWaitRule.staleAfter(1));

    static RepmgrdSight seen(int secondsAgo) {
        return new RepmgrdSight(true, true, secondsAgo, OptionalInt.of(1), Optional.of("198.18.0.11"));
    }

    /** Sent {@code sentAgoMs} ago, last answered {@code answeredAgoMs} ago. */
    static PeerSocket toN1(int localPort, long sentAgoMs, long answeredAgoMs) {
        return new PeerSocket("198.18.0.12", localPort, "198.18.0.11", 5432, sentAgoMs, answeredAgoMs, 2_648);
    }

    @Test
    void aRequestUnansweredWhileRepmgrdDoesNotLoopHasItsConnectionEnded() throws Exception {
        sight = seen(7);
        PeerSocket stuck = toN1(50214, 6_100, 7_100);
        PeerSocket local = new PeerSocket("198.18.0.12", 50888, "198.18.0.12", 5432, 7_000, 7_000, 8_986);
        held = List.of(local, stuck);

        assertThat(release.tick()).isTrue();

        assertThat(destroyed).containsExactly(stuck);
        assertThat(counted).containsExactly(true);
        JsonNode line = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(line.get("event").asText()).isEqualTo(StuckRequestRelease.EVENT);
        assertThat(line.get("peer").asText()).isEqualTo("198.18.0.11:5432");
        assertThat(line.get("local").asText()).isEqualTo("198.18.0.12:50214");
        assertThat(line.get("unanswered_ms").asLong()).isEqualTo(6_100);
        assertThat(line.get("upstream_last_seen_s").asInt()).isEqualTo(7);
    }

    @Test
    void aRequestWaitingLessThanTheBoundIsLeftToAnswer() {
        sight = seen(7);
        held = List.of(toN1(50214, 4_900, 7_100));

        assertThat(release.tick()).isFalse();
        assertThat(destroyed).isEmpty();
    }

    /** An election's wait or a running promote command: repmgrd does not loop, but it waits on nobody's answer. */
    @Test
    void anIdleConnectionOfAStalledRepmgrdIsLeftAlone() {
        sight = seen(40);
        held = List.of(toN1(50214, 30_000, 30_000), toN1(50216, 31_000, 29_000));

        assertThat(release.tick()).isFalse();
        assertThat(destroyed).isEmpty();
    }

    /**
     * A check's new connection to a frozen primary: its startup sent, nothing ever answered. libpq's connect_timeout
     * ends it, the operator's bound; cut earlier, repmgrd would give up on its primary sooner than configured.
     */
    @Test
    void aConnectionStillStartingIsLeftToItsConnectTimeout() {
        sight = seen(12);
        held = List.of(new PeerSocket("198.18.0.12", 50300, "198.18.0.11", 5432, 9_000, 9_001, 0));

        assertThat(release.tick()).isFalse();
        assertThat(destroyed).isEmpty();
    }

    @Test
    void aRepmgrdThatStillSeesItsUpstreamIsLeftAloneWhateverItsConnectionsShow() {
        sight = seen(4);
        held = List.of(toN1(50214, 9_000, 10_000));

        assertThat(release.tick()).isFalse();
        assertThat(destroyed).isEmpty();
    }

    @Test
    void notOnAPrimaryNorWithoutARunningRepmgrd() {
        held = List.of(toN1(50214, 9_000, 10_000));
        sight = new RepmgrdSight(false, false, RepmgrdSight.NEVER_SEEN, OptionalInt.empty(), Optional.empty());
        assertThat(release.tick()).isFalse();
        sight = new RepmgrdSight(true, false, 40, OptionalInt.of(1), Optional.empty());
        assertThat(release.tick()).isFalse();
        sight = seen(40);
        pid = OptionalLong.empty();
        assertThat(release.tick()).isFalse();

        assertThat(destroyed).isEmpty();
    }

    @Test
    void aRefusedEndIsReportedOnceWithWhatItNeedsUntilRepmgrdLoopsAgain() throws Exception {
        sight = seen(7);
        held = List.of(toN1(50214, 6_000, 7_000));
        refusal = Optional.of("ss -K: SOCK_DESTROY answers: Operation not permitted (pgflip watch needs CAP_NET_ADMIN)");

        assertThat(release.tick()).isFalse();
        assertThat(release.tick()).isFalse();
        sight = seen(1);
        assertThat(release.tick()).isFalse();
        sight = seen(6);
        assertThat(release.tick()).isFalse();

        List<JsonNode> lines = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(new ObjectMapper().readTree(l));
        }
        assertThat(counted).containsExactly(false, false);
        assertThat(lines).hasSize(2).allSatisfy(l -> {
            assertThat(l.get("event").asText()).isEqualTo(StuckRequestRelease.FAILED_EVENT);
            assertThat(l.get("error").asText()).contains("CAP_NET_ADMIN");
        });
    }
}
