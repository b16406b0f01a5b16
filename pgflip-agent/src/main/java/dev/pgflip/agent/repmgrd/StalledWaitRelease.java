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
import java.util.function.Supplier;

/**
 * Releases a standby's repmgrd from a wait it can no longer leave by itself in time ({@link StalledWaitRule}): when
 * repmgrd has not seen its upstream for longer than {@code staleAfter}, while this node streams from that very
 * upstream and a new session to it finds a writable primary, this node's repmgrd is told to follow its original
 * primary, as repmgrd tells its siblings when the primary reappears. The waiting repmgrd then resumes monitoring at
 * once instead of at the end of {@code primary_notification_timeout}, so a primary that dies soon after a healed
 * partial partition gets a failover.
 *
 * <p>A fenced or demoted upstream is not writable, and one this node cannot reach is not streamed from: neither is
 * ever named. Once per stall: a repmgrd that was not waiting ignores the notice, and it is not repeated until repmgrd
 * has seen its upstream again.
 */
public final class StalledWaitRelease {
    public static final String EVENT = "repmgrd_released";

    private final Supplier<RepmgrdSight> sight;
    private final NodeFollow.LocalNodes localNodes;
    private final UpstreamProbe probe;
    private final RepmgrdNotice notice;
    private final WatchLog log;
    private final Duration staleAfter;
    private boolean released;

    public StalledWaitRelease(Supplier<RepmgrdSight> sight, NodeFollow.LocalNodes localNodes, UpstreamProbe probe,
            RepmgrdNotice notice, WatchLog log, Duration staleAfter) {
        this.sight = sight;
        this.localNodes = localNodes;
        this.probe = probe;
        this.notice = notice;
        this.log = log;
        this.staleAfter = staleAfter;
    }

    /** One look; true when repmgrd was told to follow its upstream in it. */
    public boolean tick() throws SQLException {
        RepmgrdSight now = sight.get();
        StalledWaitRule.Verdict verdict = StalledWaitRule.judge(now, staleAfter);
        if (verdict == StalledWaitRule.Verdict.FRESH) {
            released = false;
        }
        if (verdict != StalledWaitRule.Verdict.STALLED_WHILE_STREAMING || released || now.upstreamId().isEmpty()) {
            return false;
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
        released = true;
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("upstream", upstream.get().name());
        facts.put("upstream_node_id", upstream.get().id());
        facts.put("upstream_last_seen_s", now.upstreamLastSeenSeconds());
        facts.put("reason", "repmgrd has not seen its upstream for " + now.upstreamLastSeenSeconds() + " s while this"
                + " node streams from it and it answers as a writable primary: repmgrd told to follow it again");
        log.record(EVENT, facts);
        return true;
    }
}
