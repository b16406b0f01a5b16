package dev.pgflip.agent.promote;

import dev.pgflip.agent.node.NodeRole;

/** Asks the local node for its role. Must return within about a second; never throws for an unreachable node. */
public interface NodeRoleProbe extends AutoCloseable {

    NodeRole probe();

    @Override
    default void close() {}
}
