package dev.pgflip.lab.net;

import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabTopology;
import dev.pgflip.lab.process.CommandFailedException;
import dev.pgflip.lab.process.CommandResult;
import dev.pgflip.lab.process.Commands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lab's wiring with iproute2: a bridge in the root namespace and one namespace per node, joined by a veth pair.
 * No default route is added inside the namespaces, so nothing a node sends can leave 198.18.0.0/24.
 */
public final class LabNetwork {
    private static final Duration QUICK = Duration.ofSeconds(10);

    private final Commands commands;
    private final LabTopology topology;

    public LabNetwork(Commands commands, LabTopology topology) {
        this.commands = commands;
        this.topology = topology;
    }

    public void createBridge() {
        commands.run(List.of("ip", "link", "add", topology.bridge(), "type", "bridge"), QUICK);
        commands.run(List.of("ip", "addr", "add", topology.bridgeAddress() + "/" + topology.prefixLength(),
                "dev", topology.bridge()), QUICK);
        commands.run(List.of("ip", "link", "set", topology.bridge(), "up"), QUICK);
    }

    public void createNamespace(LabNode node) {
        commands.run(List.of("ip", "netns", "add", node.netns()), QUICK);
        commands.run(List.of("ip", "link", "add", node.hostVeth(), "type", "veth", "peer", "name", node.veth(),
                "netns", node.netns()), QUICK);
        commands.run(List.of("ip", "link", "set", node.hostVeth(), "master", topology.bridge(), "up"), QUICK);
        commands.run(List.of("ip", "-n", node.netns(), "addr", "add",
                node.address() + "/" + topology.prefixLength(), "dev", node.veth()), QUICK);
        commands.run(List.of("ip", "-n", node.netns(), "link", "set", "lo", "up"), QUICK);
        commands.run(List.of("ip", "-n", node.netns(), "link", "set", node.veth(), "up"), QUICK);
    }

    /** Takes the node's only link down (or up): its processes live on but nothing reaches them. */
    public void setLink(LabNode node, boolean up) {
        commands.run(List.of("ip", "-n", node.netns(), "link", "set", node.veth(), up ? "up" : "down"), QUICK);
    }

    /**
     * Takes the node's link down for {@code down}, then up, through one {@code ip -batch -} process fed line by line:
     * starting a second {@code ip} for the "up" cost 100 ms and more under load, and the drill's 800 ms blip has only
     * 0.1-0.2 s of margin before repmgrd's reconnect attempt (a CI run promoted on it). Returns once the link is up.
     */
    public void blip(LabNode node, java.time.Duration down) throws java.io.IOException, InterruptedException {
        Process ip = new ProcessBuilder("ip", "-n", node.netns(), "-batch", "-")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        boolean upSent = false;
        try (var in = new java.io.OutputStreamWriter(ip.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8)) {
            in.write("link set dev " + node.veth() + " down\n");
            in.flush();
            Thread.sleep(down.toMillis());
            in.write("link set dev " + node.veth() + " up\n");
            upSent = true;
        } finally {
            boolean done = ip.waitFor(QUICK.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (!done) {
                ip.destroyForcibly();
            }
            // Only when the batch did not bring the link up (interrupted, or ip failed): a second ip start here would
            // lengthen every blip's measured outage.
            if (!upSent || !done || ip.exitValue() != 0) {
                setLink(node, true);
            }
        }
    }

    public boolean namespaceExists(String netns) {
        return commands.attempt(List.of("ip", "netns", "list"), QUICK).output().lines()
                .anyMatch(line -> line.split("\\s+")[0].equals(netns));
    }

    public boolean linkExists(String name) {
        return commands.attempt(List.of("ip", "link", "show", "dev", name), QUICK).succeeded();
    }

    /** PIDs of every process living in the namespace (whatever started them). */
    public List<Long> pidsIn(String netns) {
        CommandResult result = commands.attempt(List.of("ip", "netns", "pids", netns), QUICK);
        List<Long> pids = new ArrayList<>();
        if (result.succeeded()) {
            result.output().lines().map(String::strip).filter(s -> s.matches("\\d+")).map(Long::parseLong).forEach(pids::add);
        }
        return pids;
    }

    /**
     * Removes what {@link #createNamespace} and {@link #createBridge} made. The root-side veth is deleted explicitly:
     * after a link-down fault {@code ip netns del} can return while the namespace lingers (held by open TCP
     * sockets) and its veth survives.
     */
    public void deleteNamespace(String netns, String hostVeth) {
        commands.attempt(List.of("ip", "netns", "del", netns), QUICK);
        commands.attempt(List.of("ip", "link", "del", hostVeth), QUICK);
    }

    public void deleteBridge(String bridge) {
        commands.attempt(List.of("ip", "link", "del", bridge), QUICK);
    }

    /** Whether the node's interface carries the floating IP right now. */
    public boolean carriesFlip(LabNode node) {
        CommandResult result = commands.attempt(
                List.of("ip", "-n", node.netns(), "-4", "-o", "addr", "show", "dev", node.veth()), QUICK);
        return result.succeeded() && result.output().contains(" " + topology.flipIp() + "/32");
    }

    /** The namespace whose interface carries the floating IP, if any. */
    public Optional<LabNode> flipHolder() {
        return topology.nodes().stream().filter(this::carriesFlip).findFirst();
    }

    /**
     * Moves the floating IP {@code ip} onto {@code target} (or only removes it when empty), then announces it with
     * gratuitous ARP in the background: without it, clients kept the old MAC and writes resumed ~13 s later
     * (LAB-NOTES). Any IP the emulator was asked to move, not only the lab's own: another one created through the API
     * (the deploy guide's section 3 does) moves alone, and the lab's stays where it is.
     */
    public void moveFlip(String ip, Optional<LabNode> target) {
        String address = ip + "/32";
        // Removed from every other node and put on the target at once, without asking first who holds it: each `ip`
        // run costs 10-40 ms on a loaded machine, and this sits between the API action and the address answering (a
        // failed del is fine). For a moment two interfaces may carry it; the root namespace's neighbour entry is only
        // flushed once both changes are done, so the clients resolve it afresh to the target alone.
        List<List<String>> changes = new ArrayList<>(topology.nodes().stream()
                .filter(node -> target.map(t -> !t.equals(node)).orElse(true))
                .map(node -> List.of("ip", "-n", node.netns(), "addr", "del", address, "dev", node.veth()))
                .toList());
        target.ifPresent(node -> changes.add(
                List.of("ip", "-n", node.netns(), "addr", "replace", address, "dev", node.veth())));
        List<CommandResult> results = commands.attemptAll(changes, QUICK);
        target.ifPresent(node -> {
            CommandResult added = results.get(results.size() - 1);
            if (!added.succeeded()) {
                throw new CommandFailedException(changes.get(changes.size() - 1), added.exitCode(), added.output());
            }
            // On DigitalOcean the fabric routes a reserved IP to its droplet's anchor address: nobody outside holds a
            // stale ARP entry for it. The lab's clients sit on the same bridge, so the root namespace forgets the old
            // MAC at once instead of waiting for the gratuitous ARP.
            commands.attempt(List.of("ip", "neigh", "flush", "to", ip), QUICK);
            commands.startBackground(List.of("ip", "netns", "exec", node.netns(),
                    "arping", "-q", "-U", "-c", "3", "-w", "3", "-I", node.veth(), ip));
        });
    }
}
