package dev.pgflip.agent.fence;

/**
 * Another node of the cluster as repmgr registered it: name, type (primary, standby, witness), address, whether
 * repmgr holds it active (an old primary replaced by a promotion is not, until rejoined), and whether this node is
 * its registered upstream.
 */
public record Peer(String name, String type, String host, int port, boolean active, boolean followsMe) {
    public Peer(String name, String type, String host, int port) {
        this(name, type, host, port, true, "standby".equals(type));
    }

    public boolean isDataNode() {
        return !"witness".equals(type);
    }

    /**
     * Whether repmgrd could promote this peer in this node's place: an active standby registered downstream of it.
     * Right after a failover the old primary is inactive, so the new primary has none and a lost witness must not
     * fence it (issue 13, hole 6); after a rejoin the old primary is a standby of it again.
     */
    public boolean couldReplaceMe() {
        return active && "standby".equals(type) && followsMe;
    }
}
