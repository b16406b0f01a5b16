package dev.pgflip.agent.repmgrd;

import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.follow.NodeFollow;
import dev.pgflip.agent.follow.UpstreamAnswer;
import dev.pgflip.agent.follow.UpstreamProbe;
import dev.pgflip.agent.node.WatchLog;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Releases a standby's repmgrd from a wait it can no longer leave by itself in time ({@link StalledWaitRule}): when
 * repmgrd has not seen its upstream for longer than {@code staleAfter}, while this node streams from that very
 * upstream and a new session to it finds a writable primary, this node's repmgrd is told to follow its original
 * primary, as repmgrd tells its siblings when the primary reappears. The waiting repmgrd then resumes monitoring at
 * once instead of at the end of {@code primary_notification_timeout}, so a primary that dies soon after a healed
 * partial partition gets a failover.
 *
 * <p>A notice is not harmless to a repmgrd that is not waiting: it stays in shared memory, and the next election this
 * node joins as a follower reads it at once as "the original primary reappeared"; repmgrd then restarts monitoring,
 * cannot reach that primary and exits ("upstream node must be running before repmgrd can start"), and the node follows
 * no one after the next failover (seen on the lab, 2026-12-05: a notice sent as repmgrd finished a follow, when the new
 * upstream was streamed from but repmgrd had not looped yet, ended n2's repmgrd 27 s later). So the stall must last
 * {@code staleAfter} more, by repmgrd's own count, before the notice is sent, and a notice still pending once repmgrd
 * loops again (it clears the slot whenever it starts monitoring, so it did not read it) is withdrawn.
 *
 * <p>repmgr sends such notices itself: a sibling whose promote command failed and which then finds the original
 * primary again tells its followers to follow it ({@code repmgrd_failover_abort}), and a follower whose repmgrd is not
 * in a wait leaves it in the slot. A notice that names this node's own upstream, and stays there for {@code staleAfter}
 * while repmgrd keeps seeing that upstream, can only have been missed: it is withdrawn whoever sent it (seen in CI,
 * 2026-12-06: a wrapper refusal that ended just after a cut healed left one in n4's slot; n4's next election read it,
 * its repmgrd restarted monitoring on the unreachable primary, exited, and n4 followed no one after the failover).
 *
 * <p>A fenced or demoted upstream is not writable, and one this node cannot reach is not streamed from: neither is
 * ever named. Once per stall: the notice is not repeated until repmgrd has seen its upstream again.
 */
public final class StalledWaitRelease {
    public static final String EVENT = "repmgrd_released";
    public static final String WITHDRAWN_EVENT = "repmgrd_release_withdrawn";
    public static final String STALE_NOTICE_EVENT = "repmgrd_stale_notice_withdrawn";

    private final Supplier<RepmgrdSight> sight;
    private final NodeFollow.LocalNodes localNodes;
    private final UpstreamProbe probe;
    private final RepmgrdNotice notice;
    private final WatchLog log;
    private final Duration staleAfter;
    private final LongSupplier nanoClock;
    /** The stall being confirmed: its upstream, the host streamed from, repmgrd's count when first seen. */
    private Stall stall;
    /** The node the last notice named, until repmgrd is seen looping again. */
    private OptionalInt releasedTo = OptionalInt.empty();
    /** A notice naming the upstream seen pending while repmgrd loops: the node it names, and since when (nanos). */
    private PendingNotice pendingNotice;

    private record PendingNotice(int nodeId, long sinceNanos) {}

    private record Stall(int upstreamId, String streamingFrom, int firstLastSeenSeconds) {
        boolean continuedBy(RepmgrdSight now) {
            return now.upstreamId().equals(OptionalInt.of(upstreamId))
                    && now.streamingFrom().equals(Optional.of(streamingFrom))
                    && now.upstreamLastSeenSeconds() >= firstLastSeenSeconds;
        }
    }

    public StalledWaitRelease(Supplier<RepmgrdSight> sight, NodeFollow.LocalNodes localNodes, UpstreamProbe probe,
            RepmgrdNotice notice, WatchLog log, Duration staleAfter, LongSupplier nanoClock) {
        this.sight = sight;
        this.localNodes = localNodes;
        this.probe = probe;
        this.notice = notice;
        this.log = log;
        this.staleAfter = staleAfter;
        this.nanoClock = nanoClock;
    }

    /** One look; true when repmgrd was told to follow its upstream in it. */
    public boolean tick() throws SQLException {
        RepmgrdSight now = sight.get();
        StalledWaitRule.Verdict verdict = StalledWaitRule.judge(now, staleAfter);
        if (verdict == StalledWaitRule.Verdict.FRESH) {
            withdrawIfNotRead();
            withdrawIfMissed(now);
        } else {
            pendingNotice = null;
        }
        if (verdict != StalledWaitRule.Verdict.STALLED_WHILE_STREAMING || now.upstreamId().isEmpty()) {
            stall = null;
            return false;
        }
        if (releasedTo.isPresent()) {
            return false;
        }
        if (stall == null || !stall.continuedBy(now)) {
            stall = new Stall(now.upstreamId().getAsInt(), now.streamingFrom().orElseThrow(),
                    now.upstreamLastSeenSeconds());
        }
        if (now.upstreamLastSeenSeconds() - stall.firstLastSeenSeconds() < staleAfter.toSeconds()) {
            return false; // repmgrd may be finishing a follow or running an event command: give it its loops
        }
        Optional<RepmgrNode> upstream = localNodes.read().withId(now.upstreamId().getAsInt());
        if (upstream.isEmpty() || !upstream.get().conninfo().host().equals(now.streamingFrom())) {
            return false; // streams from a node other than repmgr's upstream: a follow is under way, not a stall
        }
        UpstreamAnswer answer = probe.ask(upstream.get());
        if (answer.kind() != UpstreamAnswer.Kind.WRITABLE_PRIMARY) {
            return false;
        }
        notice.followPrimary(upstream.get().id());
        releasedTo = OptionalInt.of(upstream.get().id());
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("upstream", upstream.get().name());
        facts.put("upstream_node_id", upstream.get().id());
        facts.put("upstream_last_seen_s", now.upstreamLastSeenSeconds());
        facts.put("reason", "repmgrd has not seen its upstream for " + now.upstreamLastSeenSeconds() + " s while this"
                + " node streams from it and it answers as a writable primary: repmgrd told to follow it again");
        log.record(EVENT, facts);
        return true;
    }

    /** repmgrd loops again: a notice of ours still in the slot was not read, and must not wait for the next election. */
    private void withdrawIfNotRead() {
        if (releasedTo.isEmpty()) {
            return;
        }
        int named = releasedTo.getAsInt();
        releasedTo = OptionalInt.empty();
        if (!notice.pending().equals(OptionalInt.of(named))) {
            return;
        }
        notice.withdraw();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("upstream_node_id", named);
        facts.put("reason", "repmgrd looped again without reading the notice to follow node " + named + ": left in"
                + " shared memory it would end this node's next election at once as 'the original primary reappeared'");
        log.record(WITHDRAWN_EVENT, facts);
    }

    /**
     * repmgrd loops on its upstream while a notice naming that upstream sits in the slot: once it has sat there for
     * staleAfter, repmgrd missed it (it reads the slot only in an election's wait or a reconnect), and the next election
     * would take it for "the original primary reappeared".
     */
    private void withdrawIfMissed(RepmgrdSight now) {
        OptionalInt pending = notice.pending();
        if (pending.isEmpty() || !pending.equals(now.upstreamId())) {
            pendingNotice = null;
            return;
        }
        long nanos = nanoClock.getAsLong();
        if (pendingNotice == null || pendingNotice.nodeId() != pending.getAsInt()) {
            pendingNotice = new PendingNotice(pending.getAsInt(), nanos);
            return;
        }
        long pendingMs = (nanos - pendingNotice.sinceNanos()) / 1_000_000;
        if (pendingMs < staleAfter.toMillis()) {
            return;
        }
        notice.withdraw();
        pendingNotice = null;
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("upstream_node_id", pending.getAsInt());
        facts.put("pending_ms", pendingMs);
        facts.put("upstream_last_seen_s", now.upstreamLastSeenSeconds());
        facts.put("reason", "a notice to follow node " + pending.getAsInt() + ", this node's upstream, stayed unread for "
                + pendingMs + " ms while repmgrd kept seeing that upstream: left there, the next election would read"
                + " it as 'the original primary reappeared' and repmgrd would exit if that primary cannot be reached");
        log.record(STALE_NOTICE_EVENT, facts);
    }
}
