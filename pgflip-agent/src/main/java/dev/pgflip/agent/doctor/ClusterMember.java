package dev.pgflip.agent.doctor;

/**
 * One node of {@code repmgr.nodes} as the doctor found it: its repmgr type, where it listens, and what it answered.
 *
 * @param role "primary", "standby", "witness" (not asked: a witness is a primary of its own), or "unreachable"
 */
record ClusterMember(int nodeId, String name, String type, String host, int port, boolean local, String role) {
    static final String PRIMARY = "primary";
    static final String STANDBY = "standby";
    static final String WITNESS = "witness";
    static final String UNREACHABLE = "unreachable";

    boolean isPrimary() {
        return PRIMARY.equals(role);
    }

    String describe() {
        return name + " (" + host + ":" + port + ")";
    }
}
