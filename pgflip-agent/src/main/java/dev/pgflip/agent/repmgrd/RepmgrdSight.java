package dev.pgflip.agent.repmgrd;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What this node says about its own repmgrd in one query, nothing judged yet ({@link StalledWaitRule} judges).
 *
 * @param inRecovery {@code pg_is_in_recovery()}: only a standby's repmgrd watches an upstream
 * @param repmgrdRunning {@code repmgr.repmgrd_is_running()}: the PID repmgrd registered answers a signal 0; false on a
 *     node not in recovery (not asked there)
 * @param upstreamLastSeenSeconds {@code repmgr.get_upstream_last_seen()}: seconds since this node's repmgrd last found
 *     its upstream answering; -1 when repmgrd has not looked since PostgreSQL started (repmgrd not running)
 * @param upstreamId this node's upstream as its copy of repmgr.nodes records it
 * @param streamingFrom the host the walreceiver streams from, empty when it does not stream
 */
public record RepmgrdSight(boolean inRecovery, boolean repmgrdRunning, int upstreamLastSeenSeconds,
                           OptionalInt upstreamId, Optional<String> streamingFrom) {
    public static final int NEVER_SEEN = -1;
}
