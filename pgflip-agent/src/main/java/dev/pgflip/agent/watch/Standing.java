package dev.pgflip.agent.watch;

import dev.pgflip.agent.watch.ClusterFacts.Answer;
import dev.pgflip.agent.watch.ClusterFacts.DataPeer;
import dev.pgflip.agent.watch.ClusterFacts.WitnessView;
import java.time.Duration;
import java.util.List;

/**
 * Whether this primary may act as the cluster's only primary: take the floating IP back, and degrade synchronous
 * replication (which lets commits be acknowledged on this node alone). Decided from {@link ClusterFacts}, pure.
 *
 * <p>The model (issue 13: a partial partition made two writable nodes for 40 s): a data peer is <em>safely a
 * standby</em> only while it streams from this node, since its repmgrd then sees this node and will not promote it.
 * Every other active data peer (unreachable, refused, or in recovery but not streaming from here) is <em>possibly
 * primary</em>: repmgrd may be promoting it right now. Then only the witness can vouch, and only when
 * {@code primary_visibility_consensus} is on (a standby's repmgrd cancels its promotion while any sibling saw the
 * primary within two monitor intervals): the witness must hold this node as the active primary, monitor it, and have
 * seen it recently. An inactive peer (an old primary replaced by a promotion, not rejoined) cannot hold a newer
 * timeline than ours and is left out.
 */
public sealed interface Standing {
    /** This node may act alone: every active data peer streams from it, or the witness vouches for it. */
    record Sole(String how) implements Standing {}

    /** Another node is the primary: confirmed by its own answer or by the witness's repmgr records. */
    record Outranked(PeerPrimary by) implements Standing {}

    /** Neither proof nor disproof: withhold the IP and any degrade, wait (or let the isolation fence act). */
    record Unproven(String why) implements Standing {}

    default boolean isSole() {
        return this instanceof Sole;
    }

    /** @param vouchWindow how recently the witness must have seen this node (repmgr: two monitor intervals) */
    static Standing decide(ClusterFacts facts, Duration vouchWindow) {
        for (DataPeer peer : facts.dataPeers()) {
            if (peer.answer() == Answer.PRIMARY && peer.timeline() >= facts.timeline()) {
                return new Outranked(new PeerPrimary(peer.name(), peer.host(), peer.port(), peer.timeline()));
            }
        }
        if (facts.witness().isPresent()) {
            WitnessView w = facts.witness().get();
            // repmgr marks the replaced primary inactive when it promotes another; only a rejoin makes it active again.
            // A witness merely late to learn of our own promotion still holds us as an active standby: no proof then.
            if (w.selfMarkedFailed() && w.activePrimary().filter(p -> !p.equals(facts.self())).isPresent()) {
                return new Outranked(PeerPrimary.byWitness(w.activePrimary().get(), w.name()));
            }
        }
        List<DataPeer> unsure = facts.dataPeers().stream().filter(DataPeer::active)
                .filter(p -> !facts.streamingFromMe().contains(p.name())).toList();
        if (unsure.isEmpty()) {
            return new Sole(facts.dataPeers().isEmpty() ? "no other data node is registered"
                    : "every active data peer streams from this node");
        }
        String names = String.join(", ", unsure.stream().map(p -> p.name() + " (" + describe(p) + ")").toList());
        if (!facts.visibilityConsensus()) {
            return new Unproven(names + " may be promoted and primary_visibility_consensus is off, so the witness"
                    + " cannot vouch for this node");
        }
        if (facts.witness().isEmpty()) {
            return new Unproven(names + " may be promoted and the witness does not answer");
        }
        WitnessView w = facts.witness().get();
        boolean holdsUs = w.activePrimary().filter(facts.self()::equals).isPresent();
        boolean monitorsUs = w.upstreamNodeId() == facts.selfId();
        boolean seenRecently = w.upstreamLastSeenSeconds() >= 0 && w.upstreamLastSeenSeconds() < vouchWindow.toSeconds();
        if (holdsUs && monitorsUs && seenRecently) {
            return new Sole("the witness " + w.name() + " sees this node as primary (" + w.upstreamLastSeenSeconds()
                    + " s ago), so repmgr will not promote " + names);
        }
        return new Unproven(names + " may be promoted and the witness " + w.name() + " does not vouch for this node"
                + " (primary in its records: " + w.activePrimary().orElse("none") + ", monitoring node "
                + w.upstreamNodeId() + ", last seen " + w.upstreamLastSeenSeconds() + " s ago)");
    }

    private static String describe(DataPeer p) {
        return switch (p.answer()) {
            case STANDBY -> "a standby not streaming from here";
            case PRIMARY -> "primary on older timeline " + p.timeline();
            case UNREACHABLE -> "unreachable: " + p.unreachableWhy();
        };
    }
}
