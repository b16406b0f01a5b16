package dev.pgflip.agent.status;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What one node said about itself in one look ({@link NodeProbe}): nothing judged yet.
 *
 * @param timeline a primary's from its current WAL file, a node in recovery's from its last checkpoint
 * @param readOnly {@code default_transaction_read_only}: pgflip's fence sets it (ALTER SYSTEM) before it restarts the
 *     node in recovery, and {@code pgflip rejoin} resets it
 * @param receivingFrom {@code host:port} of the walreceiver's sender when it streams, else empty
 * @param walBytes a primary's current WAL position, a node in recovery's last replayed one, in bytes from 0/0
 * @param watchSessions sessions under {@link WatchPresence#applicationName} of the node
 * @param watchIdleSeconds seconds since the freshest of them last changed state
 * @param walsenders the node's walsenders (a primary's standbys)
 * @param repmgrdUpstreamLastSeen a standby's or the witness's {@code repmgr.get_upstream_last_seen()}: seconds since
 *     its repmgrd last found its upstream (the witness's: the node it monitors as the primary) answering, -1 when
 *     repmgrd has not looked since PostgreSQL started; empty on a primary
 * @param repmgrdUpstreamNodeId the witness's {@code repmgr.get_upstream_node_id()}: the node its repmgrd last found
 *     answering; empty on data nodes
 */
public record NodeAnswer(boolean inRecovery, long timeline, boolean readOnly, Optional<String> receivingFrom,
                         OptionalLong walBytes, String synchronousStandbyNames, int watchSessions,
                         OptionalLong watchIdleSeconds, List<Walsender> walsenders, OptionalInt repmgrdUpstreamLastSeen,
                         OptionalInt repmgrdUpstreamNodeId) {
    public NodeAnswer {
        walsenders = List.copyOf(walsenders);
    }

    /** A data node (no witness's view of repmgrd's upstream). */
    public NodeAnswer(boolean inRecovery, long timeline, boolean readOnly, Optional<String> receivingFrom,
            OptionalLong walBytes, String synchronousStandbyNames, int watchSessions, OptionalLong watchIdleSeconds,
            List<Walsender> walsenders, OptionalInt repmgrdUpstreamLastSeen) {
        this(inRecovery, timeline, readOnly, receivingFrom, walBytes, synchronousStandbyNames, watchSessions,
                watchIdleSeconds, walsenders, repmgrdUpstreamLastSeen, OptionalInt.empty());
    }

    /** A node whose repmgrd was not asked (a primary or witness). */
    public NodeAnswer(boolean inRecovery, long timeline, boolean readOnly, Optional<String> receivingFrom,
            OptionalLong walBytes, String synchronousStandbyNames, int watchSessions, OptionalLong watchIdleSeconds,
            List<Walsender> walsenders) {
        this(inRecovery, timeline, readOnly, receivingFrom, walBytes, synchronousStandbyNames, watchSessions,
                watchIdleSeconds, walsenders, OptionalInt.empty());
    }

    public NodeAnswer withRepmgrdUpstreamLastSeen(int seconds) {
        return new NodeAnswer(inRecovery, timeline, readOnly, receivingFrom, walBytes, synchronousStandbyNames,
                watchSessions, watchIdleSeconds, walsenders, OptionalInt.of(seconds), repmgrdUpstreamNodeId);
    }

    /** The witness's repmgrd: the node it last found answering as its primary, and how many seconds ago. */
    public NodeAnswer withRepmgrdUpstream(int nodeId, int seconds) {
        return new NodeAnswer(inRecovery, timeline, readOnly, receivingFrom, walBytes, synchronousStandbyNames,
                watchSessions, watchIdleSeconds, walsenders, OptionalInt.of(seconds), OptionalInt.of(nodeId));
    }

    /**
     * One row of the node's {@code pg_stat_replication}: repmgr names a standby's connection after its node_name.
     *
     * @param syncState {@code sync}, {@code quorum}, {@code potential} or {@code async}
     * @param flushLagBytes WAL written here that the standby has not flushed yet
     * @param replayLagBytes WAL written here that the standby has not replayed yet
     * @param replayLagMillis PostgreSQL's {@code replay_lag}; empty when it is not measured (an idle, caught-up standby)
     */
    public record Walsender(String applicationName, String state, String syncState, OptionalLong flushLagBytes,
                            OptionalLong replayLagBytes, OptionalLong replayLagMillis) {
        public boolean streaming() {
            return "streaming".equals(state);
        }
    }
}
