package dev.pgflip.agent.repmgrd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgflip.agent.db.Conninfo;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.follow.UpstreamAnswer;
import dev.pgflip.agent.node.WatchLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Standby n1 of primary n2 (and a sibling n4), as after a partial partition cut n1 from n2 alone: its repmgrd is in an
 * election's wait for n4's notice. The release must name n2 only when n1 streams from n2 and n2 answers as a writable
 * primary, and once per stall.
 */
class StalledWaitReleaseTest {
    static final RepmgrNode N1 = node(1, "n1", RepmgrNode.Type.STANDBY, "host=198.18.0.11 port=5432", 2);
    static final RepmgrNode N2 = node(2, "n2", RepmgrNode.Type.PRIMARY, "host=198.18.0.12 port=5432", 0);
    static final RepmgrNode N4 = node(4, "n4", RepmgrNode.Type.STANDBY, "host=198.18.0.14 port=5432", 2);
    static final RepmgrNodes NODES = new RepmgrNodes(List.of(N1, N2, N4));

    RepmgrdSight sight;
    UpstreamAnswer answer = UpstreamAnswer.answered(false, false);
    final List<Integer> notified = new ArrayList<>();
    final List<String> asked = new ArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final StalledWaitRelease release = new StalledWaitRelease(() -> sight, () -> NODES, node -> {
        asked.add(node.name());
        return answer;
    }, notified::add, new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1", PromoteTimeline.NONE),
            StalledWaitRule.staleAfter(1));

    static RepmgrNode node(int id, String name, RepmgrNode.Type type, String conninfo, int upstream) {
        return new RepmgrNode(id, name, type, true, Conninfo.parse(conninfo),
                upstream == 0 ? OptionalInt.empty() : OptionalInt.of(upstream));
    }

    static RepmgrdSight seen(int secondsAgo, String streamingFrom) {
        return new RepmgrdSight(true, secondsAgo, OptionalInt.of(2), Optional.ofNullable(streamingFrom));
    }

    @Test
    void aStalledRepmgrdWhoseUpstreamIsStreamedFromAndWritableIsToldToFollowIt() throws Exception {
        sight = seen(30, "198.18.0.12");

        assertThat(release.tick()).isTrue();

        assertThat(notified).containsExactly(2);
        JsonNode line = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(line.get("event").asText()).isEqualTo(StalledWaitRelease.EVENT);
        assertThat(line.get("upstream").asText()).isEqualTo("n2");
        assertThat(line.get("upstream_last_seen_s").asInt()).isEqualTo(30);
    }

    @Test
    void oncePerStallThenAgainOnlyAfterRepmgrdSawItsUpstream() throws Exception {
        sight = seen(30, "198.18.0.12");
        release.tick();
        sight = seen(31, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        sight = seen(1, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        sight = seen(9, "198.18.0.12");
        assertThat(release.tick()).isTrue();
        assertThat(notified).containsExactly(2, 2);
    }

    @Test
    void aRepmgrdThatSawItsUpstreamRecentlyIsLeftAloneAndTheUpstreamIsNotAsked() throws Exception {
        sight = seen(4, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        assertThat(asked).isEmpty();
        assertThat(notified).isEmpty();
    }

    @Test
    void notStreamingMeansTheUpstreamMayReallyBeGoneAndRepmgrdsFailoverMustRun() throws Exception {
        sight = seen(30, null);
        assertThat(release.tick()).isFalse();
        assertThat(asked).isEmpty();
        assertThat(notified).isEmpty();
    }

    @Test
    void streamingFromAnotherNodeIsAFollowUnderWayNotAStall() throws Exception {
        sight = seen(30, "198.18.0.14");
        assertThat(release.tick()).isFalse();
        assertThat(notified).isEmpty();
    }

    @Test
    void aFencedDemotedOrSilentUpstreamIsNeverNamed() throws Exception {
        sight = seen(30, "198.18.0.12");
        for (UpstreamAnswer a : List.of(UpstreamAnswer.answered(false, true), UpstreamAnswer.answered(true, false),
                UpstreamAnswer.unreachable("timeout"))) {
            answer = a;
            assertThat(release.tick()).as(a.describe()).isFalse();
        }
        assertThat(asked).containsExactly("n2", "n2", "n2");
        assertThat(notified).isEmpty();
    }

    @Test
    void aPrimaryOrARepmgrdNotRunningIsLeftAlone() throws Exception {
        sight = new RepmgrdSight(false, 30, OptionalInt.empty(), Optional.empty());
        assertThat(release.tick()).isFalse();
        sight = seen(RepmgrdSight.NEVER_SEEN, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        assertThat(asked).isEmpty();
    }

    @Test
    void anUpstreamMissingFromRepmgrNodesIsNotNamed() throws Exception {
        sight = new RepmgrdSight(true, 30, OptionalInt.of(7), Optional.of("198.18.0.12"));
        assertThat(release.tick()).isFalse();
        assertThat(notified).isEmpty();
    }
}
