package dev.pgflip.lab;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pgflip.lab.cluster.PostgresNode;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of the lab as its parts report it: each node's role from the node itself, the floating IP's holder
 * from the namespaces' interfaces, and the droplet from the emulator's API. Nothing is taken from the state file
 * but PIDs and names.
 */
public record LabStatus(
        @JsonProperty("nodes") List<NodeStatus> nodes,
        @JsonProperty("flip") FlipStatus flip,
        @JsonProperty("digitalocean") DigitalOceanStatus digitalocean) {

    public record NodeStatus(String name, String host, int port, String role, boolean running,
                             @JsonProperty("postmaster_pid") Long postmasterPid,
                             @JsonProperty("droplet_id") long dropletId) {}

    public record FlipStatus(String ip, String holder) {}

    public record DigitalOceanStatus(@JsonProperty("api_url") String apiUrl,
                                     @JsonProperty("ca_file") String caFile,
                                     @JsonProperty("token_file") String tokenFile,
                                     Map<String, Long> droplets,
                                     @JsonProperty("flip_droplet_id") Long flipDropletId,
                                     @JsonProperty("emulator_running") boolean emulatorRunning) {}

    public static LabStatus read(Lab lab) {
        LabState state = lab.state();
        List<NodeStatus> nodes = new ArrayList<>();
        boolean up = java.nio.file.Files.exists(lab.layout().repmgrPasswordFile());
        for (LabNode node : lab.topology().nodes()) {
            Optional<Long> pid = lab.postgres(node).postmasterPid();
            String role = "down";
            if (up && pid.isPresent()) {
                try {
                    role = lab.repmgrSql().role(node.address(), node.name());
                } catch (SQLException e) {
                    role = "down";
                }
            }
            nodes.add(new NodeStatus(node.name(), node.address(), LabNode.PORT, role, pid.isPresent(),
                    pid.orElse(null), node.dropletId()));
        }
        String holder = lab.network().flipHolder().map(LabNode::name).orElse(null);
        Map<String, Long> droplets = new LinkedHashMap<>();
        lab.topology().nodes().forEach(n -> droplets.put(n.name(), n.dropletId()));
        boolean emulatorRunning = state.emulatorPid() != null && dev.pgflip.lab.process.Pids.alive(state.emulatorPid());
        Long flipDroplet = null;
        if (emulatorRunning) {
            try {
                flipDroplet = lab.emulatorApi().holderDropletId(lab.topology().flipIp()).orElse(null);
            } catch (IOException | RuntimeException e) {
                flipDroplet = null;
            }
        }
        return new LabStatus(nodes, new FlipStatus(lab.topology().flipIp(), holder),
                new DigitalOceanStatus(lab.topology().apiUrl(), lab.layout().caCertificate().toString(),
                        lab.layout().tokenFile().toString(), droplets,
                        flipDroplet, emulatorRunning));
    }

    /** Healthy: every node answers in its initial role and the floating IP is on the primary, as after a fresh up. */
    public boolean healthy() {
        long primaries = nodes.stream().filter(n -> n.role().equals("primary")).count();
        boolean allUp = nodes.stream().noneMatch(n -> n.role().equals("down"));
        return allUp && primaries == 1 && digitalocean.emulatorRunning()
                && nodes.stream().anyMatch(n -> n.role().equals("primary") && n.name().equals(flip.holder()));
    }

    /** A readable table in the spirit of {@code repmgr cluster show}. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(" %-4s | %-12s | %-5s | %-8s | %-7s | %-10s | %s%n",
                "Name", "Host", "Port", "Role", "Running", "Droplet", "Floating IP"));
        out.append("------+--------------+-------+----------+---------+------------+-------------\n");
        for (NodeStatus n : nodes) {
            out.append(String.format(" %-4s | %-12s | %-5d | %-8s | %-7s | %-10d | %s%n", n.name(), n.host(), n.port(),
                    n.role(), n.running() ? "yes" : "no", n.dropletId(),
                    n.name().equals(flip.holder()) ? flip.ip() + " (here)" : ""));
        }
        out.append(String.format("%nfloating IP %s: interface on %s; API says droplet %s%n", flip.ip(),
                flip.holder() == null ? "no node" : flip.holder(),
                digitalocean.flipDropletId() == null ? "none" : digitalocean.flipDropletId()));
        out.append(String.format("DigitalOcean API emulator: %s (%s), CA %s%n", digitalocean.apiUrl(),
                digitalocean.emulatorRunning() ? "running" : "not running", digitalocean.caFile()));
        return out.toString();
    }
}
