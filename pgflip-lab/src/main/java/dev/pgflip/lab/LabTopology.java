package dev.pgflip.lab;

import dev.pgflip.lab.LabNode.NodeRole;
import java.util.List;
import java.util.Optional;

/**
 * The fixed shape of the lab: one bridge, three nodes in 198.18.0.0/24 (a benchmarking range, RFC 2544, so no lab
 * packet can ever reach a real host) and the floating IP. The DigitalOcean emulator listens on the bridge address,
 * which the nodes reach through their veth and the application reaches from the root namespace: the API over HTTPS
 * on {@code apiPort}, the metadata service over plain HTTP on {@code metadataPort}, as 443 and 80 on the real cloud.
 */
public record LabTopology(String bridge, String bridgeAddress, int prefixLength, String flipIp, int apiPort,
                          int metadataPort, String region, List<LabNode> nodes) {

    public static LabTopology standard() {
        return new LabTopology("pgflbr0", "198.18.0.1", 24, "198.18.0.100", 9443, 9080, "lab1", List.of(
                new LabNode("n1", 1, "198.18.0.11", NodeRole.PRIMARY, 101),
                new LabNode("n2", 2, "198.18.0.12", NodeRole.STANDBY, 102),
                new LabNode("n3", 3, "198.18.0.13", NodeRole.WITNESS, 103)));
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
