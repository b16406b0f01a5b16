package dev.pgflip.lab.net;

import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabTopology;
import dev.pgflip.lab.cluster.PostgresNode;
import dev.pgflip.lab.process.CommandResult;
import dev.pgflip.lab.process.Commands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one node off from the other nodes while the application (the root namespace) still reaches it: the network
 * partition a split brain comes from. This machine has no packet filter (no iptables/nft, no tc actions), so the cut
 * is made in the neighbour tables: inside the isolated namespace every other node's address (and the floating IP,
 * which may move to one of them) resolves to a MAC address nobody has, and inside each other namespace the isolated
 * node's address does too. Entries are {@code permanent}, so no ARP reply or gratuitous ARP overrides them, and
 * frames are sent (and dropped by every receiver) instead of failing fast: a silent partition, as a cut cable or a
 * dropped VLAN looks to TCP. The root namespace's own entries are untouched.
 */
public final class SilentPartition {
    /** Locally administered, unicast, and on no lab interface: frames to it reach no one. */
    static final String NOWHERE_MAC = "02:00:5e:00:de:ad";
    private static final Duration QUICK = Duration.ofSeconds(10);
    /** pg_isready's connect_timeout; libpq's floor is 2 s. */
    private static final String PROBE_TIMEOUT_SECONDS = "2";

    private final Commands commands;
    private final LabTopology topology;

    public SilentPartition(Commands commands, LabTopology topology) {
        this.commands = commands;
        this.topology = topology;
    }

    /** Cuts {@code isolated} off from every other node, both ways. */
    public void isolate(LabNode isolated) {
        List<List<String>> entries = new ArrayList<>();
        for (LabNode peer : peers(isolated)) {
            entries.add(neighbour(isolated, "replace", peer.address()));
            entries.add(neighbour(peer, "replace", isolated.address()));
        }
        entries.add(neighbour(isolated, "replace", topology.flipIp()));
        for (List<String> argv : entries) {
            commands.run(argv, QUICK);
        }
    }

    /**
     * Removes the entries {@link #isolate} made (the kernel then resolves the addresses again by ARP). A node that was
     * never isolated loses only learned entries, which it relearns at once.
     */
    public void heal(LabNode isolated) {
        List<List<String>> removals = new ArrayList<>();
        for (LabNode peer : peers(isolated)) {
            removals.add(neighbour(isolated, "del", peer.address()));
            removals.add(neighbour(peer, "del", isolated.address()));
        }
        removals.add(neighbour(isolated, "del", topology.flipIp()));
        // A missing entry is the expected answer when the node was not isolated.
        commands.attemptAll(removals, QUICK);
    }

    /**
     * Checks that the partition holds: no other node gets an answer from {@code isolated} (nor it from them), while
     * the root namespace does. Throws naming the path that does not behave.
     */
    public void verify(LabNode isolated) {
        List<String> paths = new ArrayList<>();
        List<List<String>> probes = new ArrayList<>();
        for (LabNode peer : peers(isolated)) {
            paths.add(peer.name() + " -> " + isolated.name());
            probes.add(pgIsReady(peer.netns(), isolated.address()));
            paths.add(isolated.name() + " -> " + peer.name());
            probes.add(pgIsReady(isolated.netns(), peer.address()));
        }
        paths.add("application -> " + isolated.name());
        probes.add(pgIsReady(null, isolated.address()));
        List<CommandResult> results = commands.attemptAll(probes, QUICK);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            boolean mustAnswer = i == results.size() - 1;
            // pg_isready: 0 accepting, 1 rejecting (e.g. starting up), 2 no response, 3 no attempt made
            boolean answered = results.get(i).exitCode() == 0 || results.get(i).exitCode() == 1;
            if (answered != mustAnswer) {
                wrong.add(paths.get(i) + (answered ? " still answers" : " gets no answer: "
                        + results.get(i).output().strip()));
            }
        }
        if (!wrong.isEmpty()) {
            throw new LabException("the partition of " + isolated.name() + " does not hold: " + String.join("; ", wrong)
                    + " (see 'ip -n NODE neigh show')");
        }
    }

    private List<LabNode> peers(LabNode isolated) {
        return topology.nodes().stream().filter(n -> !n.equals(isolated)).toList();
    }

    private static List<String> neighbour(LabNode inside, String verb, String address) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", inside.netns(), "neigh", verb, address));
        if (verb.equals("replace")) {
            argv.addAll(List.of("lladdr", NOWHERE_MAC, "nud", "permanent"));
        }
        argv.addAll(List.of("dev", inside.veth()));
        return argv;
    }

    /** pg_isready from a namespace (null: the root namespace, where the application runs). */
    private static List<String> pgIsReady(String netns, String host) {
        List<String> argv = new ArrayList<>();
        if (netns != null) {
            argv.addAll(List.of("ip", "netns", "exec", netns));
        }
        argv.addAll(List.of(PostgresNode.PG_BIN.resolve("pg_isready").toString(), "-h", host, "-p", "5432",
                "-t", PROBE_TIMEOUT_SECONDS));
        return argv;
    }
}
