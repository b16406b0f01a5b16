package dev.pgflip.agent.repmgrd;

import java.util.OptionalInt;

/**
 * This node's repmgrd notice slot in the repmgr extension's shared memory: what a candidate's repmgrd writes to tell a
 * sibling which node to follow, and what a waiting repmgrd reads every second.
 */
public interface RepmgrdNotice {
    /** Tells this node's repmgrd to follow the node ({@code repmgr.notify_follow_primary}). */
    void followPrimary(int nodeId);

    /**
     * The node a notice still in the slot names ({@code repmgr.get_new_primary()}), empty when none is. repmgrd clears
     * the slot each time it starts monitoring, so a notice it consumed is gone once it loops again.
     */
    OptionalInt pending();

    /** Clears the slot ({@code repmgr.reset_voting_status()}, what repmgrd itself calls when it starts monitoring). */
    void withdraw();
}
