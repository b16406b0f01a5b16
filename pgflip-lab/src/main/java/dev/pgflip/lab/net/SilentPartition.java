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
 * Cuts nodes off from each other while the application (the root namespace) still reaches every one: the network
 * partitions a split brain comes from. This machine has no packet filter (no iptables/nft, no tc actions), so the cut
 * is made in the neighbour tables: inside a namespace on one side, the other side's address (and the floating IP,
 * which may be or move there) resolves to a MAC address nobody has. Entries are {@code permanent}, so no ARP reply or
 * gratuitous ARP overrides them, and frames are sent (and dropped by every receiver) instead of failing fast: a
 * silent partition, as a cut cable or a dropped VLAN looks to TCP. An address a namespace holds itself (the floating
 * IP on its own interface) is delivered locally whatever the neighbour table says. The root namespace's own entries
 * are untouched.
 *
 * <ul>
 *   <li>{@link #isolate}: one node against all the others ({@code lab fault partition});</li>
 *   <li>{@link #cut}: two nodes against each other only, each still reaching the third node ({@code lab fault cut}).</li>
 * </ul>
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
        for (List<String> argv : isolateEntries(isolated)) {
            commands.run(argv, QUICK);
        }
    }

    /**
     * Cuts {@code a} and {@code b} off from each other, both ways, and each from the floating IP (it is on one of
     * them, or moves to one): both keep reaching every other node and the application.
     */
    public void cut(LabNode a, LabNode b) {
        for (List<String> argv : cutEntries(a, b)) {
            commands.run(argv, QUICK);
        }
    }

    /**
     * Removes every entry {@link #isolate} or {@link #cut} can have made that involves {@code node}, and the floating
     * IP's entry in every namespace (a cut puts one on both sides); the kernel then resolves the addresses again by
     * ARP. A node that was never cut off loses only learned entries, which it relearns at once.
     */
    public void heal(LabNode node) {
        // A missing entry is the expected answer when the node was not cut off.
        commands.attemptAll(healEntries(node), QUICK);
    }

    /**
     * Checks that the partition holds: no other node gets an answer from {@code isolated} (nor it from them), while
     * the root namespace does. Throws naming the path that does not behave.
     */
    public void verify(LabNode isolated) {
        List<Path> paths = new ArrayList<>();
        for (LabNode peer : peers(isolated)) {
            paths.add(new Path(peer, isolated, false));
            paths.add(new Path(isolated, peer, false));
        }
        paths.add(new Path(null, isolated, true));
        check(paths, "the partition of " + isolated.name());
    }

    /**
     * Checks that the cut holds and is no more than a cut: {@code a} and {@code b} get no answer from each other,
     * every other node still answers both and is answered by both, and the application reaches both.
     */
    public void verifyCut(LabNode a, LabNode b) {
        check(cutPaths(a, b), "the cut between " + a.name() + " and " + b.name());
    }

    /** One direction a probe takes, and whether it must be answered ({@code from} null: the root namespace). */
    record Path(LabNode from, LabNode to, boolean mustAnswer) {
        String label() {
            return (from == null ? "application" : from.name()) + " -> " + to.name();
        }
    }

    List<Path> cutPaths(LabNode a, LabNode b) {
        List<Path> paths = new ArrayList<>(List.of(new Path(a, b, false), new Path(b, a, false)));
        for (LabNode other : topology.nodes()) {
            if (other.equals(a) || other.equals(b)) {
                continue;
            }
            for (LabNode side : List.of(a, b)) {
                paths.add(new Path(side, other, true));
                paths.add(new Path(other, side, true));
            }
        }
        paths.add(new Path(null, a, true));
        paths.add(new Path(null, b, true));
        return paths;
    }

    List<List<String>> isolateEntries(LabNode isolated) {
        List<List<String>> entries = new ArrayList<>();
        for (LabNode peer : peers(isolated)) {
            entries.add(neighbour(isolated, "replace", peer.address()));
            entries.add(neighbour(peer, "replace", isolated.address()));
        }
        entries.add(neighbour(isolated, "replace", topology.flipIp()));
        return entries;
    }

    List<List<String>> cutEntries(LabNode a, LabNode b) {
        if (a.equals(b)) {
            throw new IllegalArgumentException("cannot cut " + a.name() + " from itself: give two different nodes");
        }
        return List.of(neighbour(a, "replace", b.address()), neighbour(a, "replace", topology.flipIp()),
                neighbour(b, "replace", a.address()), neighbour(b, "replace", topology.flipIp()));
    }

    List<List<String>> healEntries(LabNode node) {
        List<List<String>> removals = new ArrayList<>();
        for (LabNode peer : peers(node)) {
            removals.add(neighbour(node, "del", peer.address()));
            removals.add(neighbour(peer, "del", node.address()));
        }
        for (LabNode any : topology.nodes()) {
            removals.add(neighbour(any, "del", topology.flipIp()));
        }
        return removals;
    }

    private void check(List<Path> paths, String what) {
        // About 2 s (pg_isready's floor) when a path is cut: the probes run at the same time.
        List<CommandResult> results = commands.attemptAll(paths.stream().map(p -> pgIsReady(p.from(), p.to())).toList(),
                QUICK);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            // pg_isready: 0 accepting, 1 rejecting (e.g. starting up), 2 no response, 3 no attempt made
            boolean answered = results.get(i).exitCode() == 0 || results.get(i).exitCode() == 1;
            if (answered != paths.get(i).mustAnswer()) {
                wrong.add(paths.get(i).label() + (answered ? " still answers" : " gets no answer: "
                        + results.get(i).output().strip()));
            }
        }
        if (!wrong.isEmpty()) {
            throw new LabException(what + " does not hold: " + String.join("; ", wrong)
                    + " (see 'ip -n NODE neigh show')");
        }
    }

    private List<LabNode> peers(LabNode node) {
        return topology.nodes().stream().filter(n -> !n.equals(node)).toList();
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
    private static List<String> pgIsReady(LabNode from, LabNode to) {
        List<String> argv = new ArrayList<>();
        if (from != null) {
            argv.addAll(List.of("ip", "netns", "exec", from.netns()));
        }
        argv.addAll(List.of(PostgresNode.PG_BIN.resolve("pg_isready").toString(), "-h", to.address(), "-p", "5432",
                "-t", PROBE_TIMEOUT_SECONDS));
        return argv;
    }
}
