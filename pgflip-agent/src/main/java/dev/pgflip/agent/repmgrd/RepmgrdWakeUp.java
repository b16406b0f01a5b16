package dev.pgflip.agent.repmgrd;

import dev.pgflip.agent.node.WatchLog;
import dev.pgflip.agent.node.WatchRecorder;
import dev.pgflip.agent.repmgr.RepmgrConf;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Wakes a standby's repmgrd when the standby loses its primary, so that repmgrd checks its upstream now rather than at
 * the end of its {@code monitor_interval_secs} sleep (half a second on average with the guide's 1 s, a second at most;
 * measured on the lab as 243-834 ms between a kill -9 and repmgrd's disconnect event). Lost: the WAL stream ended (a
 * walreceiver that streamed no longer does: a killed primary, at once), or the node it streamed from stopped answering
 * the fencing probes ({@code UpstreamSilence}: a link down or a partition, within half a second, where the stream ends
 * only after tcp_user_timeout). repmgrd sleeps with {@code sleep()}, which a signal ends early, and SIGHUP is its
 * documented reload signal: it rereads repmgr.conf (unchanged, nothing else happens) and loops again, starting with
 * its usual check. Every decision stays repmgrd's: its check, its reconnect attempt, its election, the promote hook's
 * claim; only the moment of its next look moves.
 *
 * <p>Once per loss: armed while the stream flows and its sender answers, disarmed by the wake-up; never on a
 * primary. Only when repmgr.conf has {@code reconnect_attempts} of 1 or less ({@link #whyNot}): with more, repmgrd
 * sleeps {@code reconnect_interval} between its attempts, a signal could end one of those sleeps early, and the
 * primary's isolation fence, whose bound counts those sleeps ({@code IsolationBound}), could come after the promotion.
 */
public final class RepmgrdWakeUp {
    public static final String EVENT = "repmgrd_woken";
    public static final String FAILED_EVENT = "repmgrd_wake_failed";

    private final Supplier<WalStream> stream;
    private final Predicate<String> upstreamSilent;
    private final Supplier<OptionalLong> repmgrdPid;
    private final BiFunction<Long, String, Optional<String>> hangUp;
    private final WatchLog log;
    private final WatchRecorder recorder;
    private boolean armed;
    /** The host streamed from at the last look that found the stream flowing. */
    private Optional<String> upstream = Optional.empty();

    /**
     * @param upstreamSilent whether the node at a host stopped answering this node's probes (never, without fencing)
     * @param hangUp sends SIGHUP to a PID whose process has that name; says why not, or nothing when sent
     * @param recorder told each wake-up sent or refused (the watch's metrics)
     */
    public RepmgrdWakeUp(Supplier<WalStream> stream, Predicate<String> upstreamSilent, Supplier<OptionalLong> repmgrdPid,
            BiFunction<Long, String, Optional<String>> hangUp, WatchLog log, WatchRecorder recorder) {
        this.stream = stream;
        this.upstreamSilent = upstreamSilent;
        this.repmgrdPid = repmgrdPid;
        this.hangUp = hangUp;
        this.log = log;
        this.recorder = recorder;
    }

    /** Why waking repmgrd would be unsafe with this repmgr.conf, or nothing when it is not. */
    public static Optional<String> whyNot(RepmgrConf conf) {
        String attempts = conf.value("reconnect_attempts").map(String::strip).orElse("6 (repmgr's default)");
        if (attempts.equals("0") || attempts.equals("1")) {
            return Optional.empty();
        }
        return Optional.of("reconnect_attempts is " + attempts + " in " + conf.file() + ": a signal could cut one of"
                + " repmgrd's reconnect_interval sleeps short and promote a standby before the primary's isolation fence;"
                + " set reconnect_attempts=1 (the guide's) to have repmgrd woken when the primary is lost");
    }

    /** One look; true when repmgrd was signalled in it. */
    public boolean tick() {
        WalStream now = stream.get();
        if (now.state() == WalStream.State.NOT_A_STANDBY) {
            armed = false;
            upstream = Optional.empty();
            return false;
        }
        if (now.streaming()) {
            upstream = now.senderHost();
        }
        boolean silent = upstream.map(upstreamSilent::test).orElse(false);
        if (now.streaming() && !silent) {
            armed = true;
            return false;
        }
        if (!armed) {
            return false;
        }
        armed = false;
        String lost = now.streaming() ? "the node it streams from (" + upstream.orElse("?") + ") stopped answering this"
                + " node's fencing probes" : "this standby's WAL stream ended";
        OptionalLong pid = repmgrdPid.get();
        if (pid.isEmpty()) {
            return false; // no repmgrd registered in shared memory: nothing to wake (pgflip status says it is down)
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("repmgrd_pid", pid.getAsLong());
        Optional<String> refused = hangUp.apply(pid.getAsLong(), StuckRequestRelease.REPMGRD);
        if (refused.isPresent()) {
            facts.put("error", refused.get());
            log.record(FAILED_EVENT, facts);
            recorder.repmgrdWoken(false);
            return false;
        }
        facts.put("reason", lost + ": repmgrd (SIGHUP) checks its upstream now, not after its monitor_interval_secs"
                + " sleep");
        log.record(EVENT, facts);
        recorder.repmgrdWoken(true);
        return true;
    }
}
