package dev.pgflip.agent.fence;

import dev.pgflip.agent.node.FenceState;
import java.util.Optional;
import java.util.OptionalLong;

/** The local node's write fence: put in place, lifted, and read back (it survives restarts of the node and the agent). */
public interface NodeFence {
    Optional<FenceState> current();

    /**
     * Makes the node refuse writes from every session from now on, and records why (with the node's timeline).
     *
     * @param writesRefused called the moment no session can write any more, which may be well before this returns
     *     (a restart in recovery then still has to bring the node back for reads)
     */
    void fence(FenceState state, Runnable writesRefused);

    /** Ends an isolation fence: the node takes writes again as the cluster's primary. */
    void lift();

    /** Forgets a record that no longer speaks of this node (another timeline): no promotion, settings reset. */
    void discard();

    /** The local node's timeline, empty when it cannot be asked. */
    OptionalLong localTimeline();
}
