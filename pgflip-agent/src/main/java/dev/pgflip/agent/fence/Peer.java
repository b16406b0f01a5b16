package dev.pgflip.agent.fence;

/** Another node of the cluster as repmgr registered it: name, type (primary, standby, witness) and address. */
public record Peer(String name, String type, String host, int port) {
    public boolean isDataNode() {
        return !"witness".equals(type);
    }
}
