package dev.pgflip.agent.status;

import dev.pgflip.agent.db.RepmgrNode;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One line of the status table: a node of repmgr.nodes with what it answered, judged against the others.
 *
 * @param type repmgr's type (what repmgr recorded, which may lag behind the node's role)
 * @param role what the node answered now
 * @param upstream the node it streams from (its walreceiver's sender, by name when it is a node of the cluster); for the
 *     witness, the node its repmgrd last found answering as the primary
 * @param replication the primary's view of this standby; empty for a primary, a witness or without a primary
 * @param error why the node did not answer
 * @param repmgrdUpstreamLastSeen a standby's or the witness's {@link NodeAnswer#repmgrdUpstreamLastSeen}
 */
public record NodeRow(int id, String name, RepmgrNode.Type type, String host, int port, boolean active, boolean local,
                      Role role, OptionalLong timeline, Optional<String> upstream, Optional<Replication> replication,
                      Fence fence, WatchPresence.State watch, Optional<String> error,
                      OptionalInt repmgrdUpstreamLastSeen) {

    /** What the node answered. */
    public enum Role {
        PRIMARY, STANDBY, WITNESS, UNREACHABLE;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A standby's replication as its primary sees it ({@code pg_stat_replication}).
     *
     * @param state the walsender's state ({@code streaming}, {@code catchup}, …), or {@code none} when the primary has
     *     no walsender for it: the lag is then the difference of the two nodes' WAL positions
     */
    public record Replication(String state, Optional<String> syncState, OptionalLong flushLagBytes,
                              OptionalLong replayLagBytes, OptionalLong replayLagMillis) {
        public static final String NONE = "none";

        public boolean streaming() {
            return "streaming".equals(state);
        }
    }

    /**
     * The fence as far as it can be seen.
     *
     * @param readOnly {@code default_transaction_read_only}, visible from any node; empty when the node did not answer
     * @param record the reason in {@code fencing.state_file}: only this node's own can be read
     * @param recordKnown whether the record was read (this node, with a fencing section)
     */
    public record Fence(Optional<Boolean> readOnly, Optional<String> record, boolean recordKnown) {
        public static final Fence UNSEEN = new Fence(Optional.empty(), Optional.empty(), false);

        public boolean fenced() {
            return readOnly.orElse(false) || record.isPresent();
        }
    }

    public boolean holdsData() {
        return type != RepmgrNode.Type.WITNESS;
    }

    public boolean reachable() {
        return role != Role.UNREACHABLE;
    }

    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
