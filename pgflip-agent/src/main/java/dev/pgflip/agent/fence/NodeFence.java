package dev.pgflip.agent.fence;

import java.util.Optional;

/** The local node's write fence: put in place, lifted, and read back (it survives restarts of the node and the agent). */
public interface NodeFence {
    Optional<FenceState> current();

    /** Makes the node refuse writes from now on and ends the sessions that could still write. */
    void fence(FenceState state);

    void lift();
}
