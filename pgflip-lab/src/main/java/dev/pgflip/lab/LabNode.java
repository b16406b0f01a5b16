package dev.pgflip.lab;

/**
 * One database node of the lab: a network namespace with one PostgreSQL instance. {@code veth} is the interface
 * inside the namespace, {@code hostVeth} its peer on the bridge in the root namespace.
 */
public record LabNode(String name, int nodeId, String address, NodeRole initialRole, long dropletId) {

    public static final int PORT = 5432;

    public String veth() {
        return "eth0";
    }

    public String hostVeth() {
        return "vh-" + name;
    }

    public String netns() {
        return name;
    }

    public enum NodeRole {
        PRIMARY, STANDBY, WITNESS;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
