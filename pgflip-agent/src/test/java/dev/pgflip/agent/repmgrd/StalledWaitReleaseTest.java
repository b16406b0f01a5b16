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
 * primary, only once the stall has lasted another {@code staleAfter} (5 s here) by repmgrd's count, and once per stall;
 * a notice repmgrd did not read is withdrawn once it loops again.
 */
class StalledWaitReleaseTest {
    static final RepmgrNode N1 = node(1, "n1", RepmgrNode.Type.STANDBY, "host=198.18.0.11 port=5432", 2);
    static final RepmgrNode N2 = node(2, "n2", RepmgrNode.Type.PRIMARY, "host=198.18.0.12 port=5432", 0);
    static final RepmgrNode N4 = node(4, "n4", RepmgrNode.Type.STANDBY, "host=198.18.0.14 port=5432", 2);
    static final RepmgrNodes NODES = new RepmgrNodes(List.of(N1, N2, N4));

    RepmgrdSight sight;
    UpstreamAnswer answer = UpstreamAnswer.answered(false, false);
    final List<Integer> notified = new ArrayList<>();
    final List<Integer> withdrawn = new ArrayList<>();
    /** The shared-memory slot as repmgr keeps it: set by a notice, cleared when repmgrd starts monitoring. */
    OptionalInt slot = OptionalInt.empty();
    final RepmgrdNotice notice = new RepmgrdNotice() {
        @Override
        public void followPrimary(int nodeId) {
            notified.add(nodeId);
            slot = OptionalInt.of(nodeId);
        }

        @Override
        public OptionalInt pending() {
            return slot;
        }

        @Override
        public void withdraw() {
            slot.ifPresent(withdrawn::add);
            slot = OptionalInt.empty();
        }
    };
    final List<String> asked = new ArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    long nanos = 0;
    final StalledWaitRelease release = new StalledWaitRelease(() -> sight, () -> NODES, node -> {
        asked.add(node.name());
        return answer;
    }, notice, new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1", PromoteTimeline.NONE),
            StalledWaitRule.staleAfter(1), () -> nanos);

    static RepmgrNode node(int id, String name, RepmgrNode.Type type, String conninfo, int upstream) {
        return new RepmgrNode(id, name, type, true, Conninfo.parse(conninfo),
                upstream == 0 ? OptionalInt.empty() : OptionalInt.of(upstream));
    }

    static RepmgrdSight seen(int secondsAgo, String streamingFrom) {
        return new RepmgrdSight(true, true, secondsAgo, OptionalInt.of(2), Optional.ofNullable(streamingFrom));
    }

    @Test
    void aStalledRepmgrdWhoseUpstreamIsStreamedFromAndWritableIsToldToFollowItOnceTheStallLasted() throws Exception {
        sight = seen(25, "198.18.0.12");
        assertThat(release.tick()).as("first seen stalled: not yet").isFalse();
        sight = seen(29, "198.18.0.12");
        assertThat(release.tick()).as("4 s later by repmgrd's count: not yet").isFalse();
        assertThat(notified).isEmpty();
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
        stallFor(25, 30);
        sight = seen(31, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        slot = OptionalInt.empty(); // repmgrd read it and started monitoring again
        sight = seen(1, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        sight = seen(9, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        sight = seen(14, "198.18.0.12");
        assertThat(release.tick()).isTrue();
        assertThat(notified).containsExactly(2, 2);
        assertThat(withdrawn).isEmpty();
    }

    /**
     * The race seen on the lab: repmgrd finishing a follow (its event commands still running) has not looked at its new
     * upstream yet, while the node already streams from it. A repmgrd that loops again within staleAfter is never
     * told anything.
     */
    @Test
    void aRepmgrdThatLoopsAgainWithinTheConfirmationIsNeverNotified() throws Exception {
        sight = seen(20, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        sight = seen(23, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        sight = seen(0, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        assertThat(notified).isEmpty();
        assertThat(asked).isEmpty();
    }

    /** A stall seen from another host, or a count that went back (repmgrd looked in between), starts anew. */
    @Test
    void theConfirmationRestartsWhenTheStallChanges() throws Exception {
        sight = seen(20, "198.18.0.14");
        release.tick();
        sight = seen(26, "198.18.0.12");
        assertThat(release.tick()).as("first seen streaming from n2").isFalse();
        sight = seen(6, "198.18.0.12");
        assertThat(release.tick()).as("the count went back").isFalse();
        sight = seen(10, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        sight = seen(11, "198.18.0.12");
        assertThat(release.tick()).isTrue();
    }

    /**
     * A notice sent as repmgrd left its wait by itself stays in shared memory; left there, the next election would read
     * it at once as "the original primary reappeared" and repmgrd would exit on a primary it cannot reach. Once repmgrd
     * loops again with the notice unread, it is withdrawn, and said so.
     */
    @Test
    void aNoticeRepmgrdDidNotReadIsWithdrawnOnceItLoopsAgain() throws Exception {
        stallFor(25, 30);
        out.reset();
        sight = seen(0, "198.18.0.12"); // looping again, the slot still holds our notice

        assertThat(release.tick()).isFalse();

        assertThat(withdrawn).containsExactly(2);
        assertThat(slot).isEmpty();
        JsonNode line = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(line.get("event").asText()).isEqualTo(StalledWaitRelease.WITHDRAWN_EVENT);
        assertThat(line.get("upstream_node_id").asInt()).isEqualTo(2);
    }

    /** A slot that names another node is a candidate's notice, not ours: it is never withdrawn. */
    @Test
    void aNoticeNamingAnotherNodeIsNotOursToWithdraw() throws Exception {
        stallFor(25, 30);
        slot = OptionalInt.of(4);
        sight = seen(0, "198.18.0.12");
        release.tick();
        assertThat(withdrawn).isEmpty();
        assertThat(slot).hasValue(4);
    }

    /** Ticks a stall from repmgrd's count {@code first} to {@code released}, where the notice goes out. */
    private void stallFor(int first, int released) throws Exception {
        sight = seen(first, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        sight = seen(released, "198.18.0.12");
        assertThat(release.tick()).isTrue();
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
        sight = seen(25, "198.18.0.14");
        release.tick();
        sight = seen(30, "198.18.0.14");
        assertThat(release.tick()).isFalse();
        assertThat(notified).isEmpty();
    }

    @Test
    void aFencedDemotedOrSilentUpstreamIsNeverNamed() throws Exception {
        sight = seen(25, "198.18.0.12");
        release.tick();
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
        sight = new RepmgrdSight(false, false, 30, OptionalInt.empty(), Optional.empty());
        assertThat(release.tick()).isFalse();
        sight = seen(RepmgrdSight.NEVER_SEEN, "198.18.0.12");
        assertThat(release.tick()).isFalse();
        for (int lastSeen : new int[] {25, 30, 40}) {
            sight = new RepmgrdSight(true, false, lastSeen, OptionalInt.of(2), Optional.of("198.18.0.12"));
            assertThat(release.tick()).as("repmgrd exited; its count still grows").isFalse();
        }
        assertThat(notified).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void anUpstreamMissingFromRepmgrNodesIsNotNamed() throws Exception {
        sight = new RepmgrdSight(true, true, 25, OptionalInt.of(7), Optional.of("198.18.0.12"));
        release.tick();
        sight = new RepmgrdSight(true, true, 30, OptionalInt.of(7), Optional.of("198.18.0.12"));
        assertThat(release.tick()).isFalse();
        assertThat(notified).isEmpty();
    }

    /**
     * The notice repmgr's own sibling sends when its promotion failed and the original primary came back (seen in CI:
     * it reached n4 while n4's repmgrd looped). Left in the slot while repmgrd keeps seeing its upstream, it is
     * withdrawn once it has stayed there for staleAfter (5 s here), whoever sent it.
     */
    @Test
    void aNoticeNamingTheUpstreamLeftUnreadWhileRepmgrdLoopsIsWithdrawnAfterStaleAfter() throws Exception {
        slot = OptionalInt.of(2);
        sight = seen(0, "198.18.0.12");
        for (long ms : new long[] {0, 1_000, 4_999}) {
            nanos = ms * 1_000_000;
            assertThat(release.tick()).isFalse();
            assertThat(slot).as("%d ms after it was first seen", ms).hasValue(2);
        }
        nanos = 5_000_000_000L;
        sight = seen(1, "198.18.0.12");

        assertThat(release.tick()).isFalse();

        assertThat(slot).isEmpty();
        assertThat(withdrawn).containsExactly(2);
        assertThat(notified).isEmpty();
        JsonNode line = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(line.get("event").asText()).isEqualTo(StalledWaitRelease.STALE_NOTICE_EVENT);
        assertThat(line.get("upstream_node_id").asInt()).isEqualTo(2);
        assertThat(line.get("pending_ms").asLong()).isEqualTo(5_000);
    }

    /** A notice that went (repmgrd read it and started monitoring) and came back is timed from its return. */
    @Test
    void theTimeANoticeIsPendingCountsFromItsLastAppearance() throws Exception {
        sight = seen(0, "198.18.0.12");
        slot = OptionalInt.of(2);
        release.tick();
        nanos = 3_000_000_000L;
        slot = OptionalInt.empty();
        release.tick();
        nanos = 4_000_000_000L;
        slot = OptionalInt.of(2);
        release.tick();
        nanos = 8_000_000_000L;
        release.tick();
        assertThat(slot).as("pending 4 s since it came back").hasValue(2);
        nanos = 9_000_000_000L;
        release.tick();
        assertThat(slot).isEmpty();
    }

    /**
     * A repmgrd that does not loop may be about to read the slot (its reconnect phase or an election's wait reads it
     * every second), and a notice naming another node is a candidate's: neither is ever withdrawn by this rule.
     */
    @Test
    void aNoticeIsLeftToARepmgrdThatDoesNotLoopAndANoticeNamingAnotherNodeStays() throws Exception {
        slot = OptionalInt.of(2);
        sight = seen(20, null);
        for (long s = 0; s <= 30; s += 5) {
            nanos = s * 1_000_000_000L;
            release.tick();
        }
        assertThat(slot).hasValue(2);
        slot = OptionalInt.of(4);
        sight = seen(0, "198.18.0.12");
        for (long s = 30; s <= 60; s += 5) {
            nanos = s * 1_000_000_000L;
            release.tick();
        }
        assertThat(slot).hasValue(4);
        assertThat(withdrawn).isEmpty();
    }
}
