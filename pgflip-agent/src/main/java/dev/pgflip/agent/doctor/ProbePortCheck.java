package dev.pgflip.agent.doctor;

import dev.pgflip.agent.fence.Peer;
import dev.pgflip.agent.fence.PeerReachability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code fencing.probe_port}: every other data node accepts a TCP connection there (its {@code pgflip watch} listens),
 * so the fencing probes fork no PostgreSQL backend on it. Without this, the watch falls back to PostgreSQL's port and
 * only its own log says so (a warning, then the port left out for 5 min): a firewall that drops the port costs half a
 * probe period a round, and a backend per probe. The nodes are asked as the watch asks them, all at once
 * ({@link PeerReachability#connectAll}).
 */
final class ProbePortCheck {
    static final String CHECK = "probe_port";
    /** A node on the same private network accepts in milliseconds; a dropped port gives no answer at all. */
    static final Duration WAIT = Duration.ofSeconds(1);

    private ProbePortCheck() {}

    static CheckResult run(OptionalInt probePort, Optional<ClusterView> cluster) {
        if (probePort.isEmpty()) {
            return CheckResult.skipped(CHECK, "fencing.probe_port not set: the fencing probes connect to PostgreSQL's"
                    + " port, a backend forked per probe on each peer");
        }
        int port = probePort.getAsInt();
        if (cluster.isEmpty()) {
            return CheckResult.skipped(CHECK, "fencing.probe_port " + port + " not checked: repmgr.nodes could not be"
                    + " read here");
        }
        boolean witness = cluster.get().local().map(m -> m.type().equals(ClusterMember.WITNESS)).orElse(false);
        if (witness) {
            return CheckResult.skipped(CHECK, "fencing.probe_port not checked on the witness: no pgflip watch probes"
                    + " from here");
        }
        List<Peer> dataPeers = cluster.get().members().stream()
                .filter(m -> !m.local() && !m.type().equals(ClusterMember.WITNESS))
                .map(m -> new Peer(m.name(), m.type(), m.host(), port)).toList();
        PeerReachability.Attempt attempt = PeerReachability.connectAll(dataPeers, Peer::port, WAIT);
        List<String> answered = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Peer peer : dataPeers) {
            String where = peer.name() + " (" + peer.host() + ":" + port + ")";
            if (attempt.reached().contains(peer)) {
                answered.add(where);
            } else if (attempt.silent().contains(peer)) {
                failed.add(where + " gave no answer within " + WAIT.toMillis() + " ms: is the port filtered?");
            } else {
                failed.add(where + " refused the connection (or could not be reached): is pgflip watch running there,"
                        + " with this fencing.probe_port?");
            }
        }
        if (!failed.isEmpty()) {
            return CheckResult.fail(CHECK, "fencing.probe_port " + port + ": " + String.join("; ", failed),
                    "run pgflip watch with the same fencing.probe_port on every data node, and open TCP " + port
                            + " between the database nodes (the guide's cloud firewall rows)");
        }
        if (answered.isEmpty()) {
            return CheckResult.skipped(CHECK, "fencing.probe_port " + port + " not checked: repmgr.nodes lists no other"
                    + " data node");
        }
        return CheckResult.ok(CHECK, "fencing.probe_port " + port + " answers on " + String.join(", ", answered)
                + ": the fencing probes fork no backend there");
    }
}
