package dev.pgflip.lab;

import dev.pgflip.lab.LabNode.NodeRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shape of the lab: one bridge, three nodes (or more standbys) in 198.18.0.0/24 (a benchmarking range, RFC 2544, so no lab
 * packet can ever reach a real host) and the floating IP. The DigitalOcean emulator listens on the bridge address,
 * which the nodes reach through their veth and the application reaches from the root namespace: the API over HTTPS
 * on {@code apiPort}, the metadata service over plain HTTP on {@code metadataPort}, as 443 and 80 on the real cloud.
 */
public record LabTopology(String bridge, String bridgeAddress, int prefixLength, String flipIp, int apiPort,
                          int metadataPort, String region, List<LabNode> nodes) {

    /** The most standbys {@code lab up --standbys} makes: n2, n4 and n5. */
    public static final int MAX_STANDBYS = 3;

    /** n1 primary, n2 standby, n3 witness: the shape of the seed's cluster. */
    public static LabTopology standard() {
        return withStandbys(1);
    }

    /**
     * n1 primary, n3 witness and {@code standbys} standbys: n2, then n4 and n5 (node ids and droplet ids follow the
     * names, addresses 198.18.0.1N), so the one-standby lab is a prefix of every larger one.
     */
    public static LabTopology withStandbys(int standbys) {
        if (standbys < 1 || standbys > MAX_STANDBYS) {
            throw new IllegalArgumentException("--standbys " + standbys + " is out of range: the lab makes 1 to "
                    + MAX_STANDBYS + " standbys");
        }
        List<LabNode> nodes = new ArrayList<>(List.of(
                node(1, NodeRole.PRIMARY), node(2, NodeRole.STANDBY), node(3, NodeRole.WITNESS)));
        for (int extra = 1; extra < standbys; extra++) {
            nodes.add(node(3 + extra, NodeRole.STANDBY));
        }
        return new LabTopology("pgflbr0", "198.18.0.1", 24, "198.18.0.100", 9443, 9080, "lab1", List.copyOf(nodes));
    }

    /** Every node any lab may have made: what {@code lab down} sweeps when its record of the lab is lost. */
    public static LabTopology widest() {
        return withStandbys(MAX_STANDBYS);
    }

    private static LabNode node(int id, NodeRole role) {
        return new LabNode("n" + id, id, "198.18.0.1" + id, role, 100 + id);
    }

    public LabNode node(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown node '" + name + "': the lab has " + nodes.stream().map(LabNode::name).toList()));
    }

    public Optional<LabNode> find(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public LabNode initialPrimary() {
        return nodes.stream().filter(n -> n.initialRole() == NodeRole.PRIMARY).findFirst().orElseThrow();
    }

    public List<LabNode> standbys() {
        return nodes.stream().filter(n -> n.initialRole() == NodeRole.STANDBY).toList();
    }

    public List<LabNode> dataNodes() {
        return nodes.stream().filter(n -> n.initialRole() != NodeRole.WITNESS).toList();
    }

    /** The emulator's API; its certificate names {@code bridgeAddress} (IP 198.18.0.1) and nothing else. */
    public String apiUrl() {
        return "https://" + bridgeAddress + ":" + apiPort;
    }

    public String metadataUrl() {
        return "http://" + bridgeAddress + ":" + metadataPort + "/metadata/v1";
    }
}
