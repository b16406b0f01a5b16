package dev.pgflip.agent.repmgrd;

import dev.pgflip.agent.node.WatchLog;
import dev.pgflip.agent.node.WatchRecorder;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Frees a standby's repmgrd from a query that a silent peer will never answer. repmgr 5.3 asks its kept connection to
 * the primary {@code pg_is_in_recovery()} with a plain {@code PQexec}, no timeout, right after each successful check
 * of its upstream; a primary that freezes in between (its kernel still acknowledges, nothing above it answers: a
 * SIGSTOP, a hung host) leaves that query waiting for as long as the freeze lasts. No TCP timer ends it (nothing is
 * unacknowledged, and keepalives are answered), repmgrd never checks its upstream again, and the frozen primary is
 * never replaced (seen twice on the lab's {@code freeze} drills, 2026-12-05 and 07). A repmgrd restarted then would not
 * help: it exits at start when its upstream does not answer.
 *
 * <p>So when a standby's repmgrd has not seen its upstream for {@code staleAfter} and one of its connections holds a
 * request unanswered for {@code staleAfter} too, that connection is ended under it ({@link ProcessSockets#destroy}):
 * the query fails at once ("connection abort"), and repmgrd goes on with its loop as after any lost connection: with
 * a primary that answers new sessions it reconnects ("upstream is available but upstream connection has gone away"),
 * with a frozen one its next check fails and its failover starts. An idle connection (nothing sent since the last
 * answer), as in an election's wait or while the promote command runs, is never touched.
 */
public final class StuckRequestRelease {
    public static final String EVENT = "repmgrd_unblocked";
    public static final String FAILED_EVENT = "repmgrd_unblock_failed";
    /** repmgrd's name as the kernel shows it: the PID repmgr keeps in shared memory may outlive repmgrd. */
    static final String REPMGRD = "repmgrd";

    private final Supplier<RepmgrdSight> sight;
    private final Supplier<OptionalLong> repmgrdPid;
    private final ProcessSockets sockets;
    private final WatchLog log;
    private final WatchRecorder recorder;
    private final Duration staleAfter;
    /** Connections whose end was refused, reported once each while repmgrd stays stalled. */
    private final Set<String> refusalsReported = new HashSet<>();

    public StuckRequestRelease(Supplier<RepmgrdSight> sight, Supplier<OptionalLong> repmgrdPid, ProcessSockets sockets,
            WatchLog log, WatchRecorder recorder, Duration staleAfter) {
        this.sight = sight;
        this.repmgrdPid = repmgrdPid;
        this.sockets = sockets;
        this.log = log;
        this.recorder = recorder;
        this.staleAfter = staleAfter;
    }

    /** One look; true when a connection of repmgrd was ended in it. */
    public boolean tick() {
        RepmgrdSight now = sight.get();
        if (!StalledWaitRule.judge(now, staleAfter).stalled()) {
            refusalsReported.clear();
            return false;
        }
        OptionalLong pid = repmgrdPid.get();
        if (pid.isEmpty()) {
            return false;
        }
        boolean ended = false;
        for (PeerSocket socket : stuck(sockets.established(pid.getAsLong(), REPMGRD))) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("peer", socket.peer());
            facts.put("local", socket.local());
            facts.put("repmgrd_pid", pid.getAsLong());
            facts.put("unanswered_ms", socket.unansweredMs());
            facts.put("upstream_last_seen_s", now.upstreamLastSeenSeconds());
            var refused = sockets.destroy(socket);
            if (refused.isEmpty()) {
                recorder.repmgrdUnblocked(true);
                facts.put("reason", "repmgrd has not seen its upstream for " + now.upstreamLastSeenSeconds()
                        + " s and its request to " + socket.peer() + " has had no answer for " + socket.unansweredMs()
                        + " ms: connection ended so that repmgrd's query fails and its loop goes on");
                log.record(EVENT, facts);
                ended = true;
            } else if (refusalsReported.add(socket.local() + ">" + socket.peer())) {
                recorder.repmgrdUnblocked(false);
                facts.put("error", refused.get());
                log.record(FAILED_EVENT, facts);
            }
        }
        return ended;
    }

    private List<PeerSocket> stuck(List<PeerSocket> held) {
        return held.stream().filter(s -> s.unansweredMs() >= staleAfter.toMillis()).toList();
    }
}
