package dev.pgflip.agent.watch;

import dev.pgflip.agent.node.PeerPrimary;
import dev.pgflip.agent.node.Standing;
import dev.pgflip.agent.watch.ClusterFacts.Answer;
import dev.pgflip.agent.watch.ClusterFacts.Claim;
import dev.pgflip.agent.watch.ClusterFacts.DataPeer;
import dev.pgflip.agent.watch.ClusterFacts.WitnessView;
import java.util.List;
import java.util.Optional;

/** The rule behind {@link Standing}: what the data peers and the witness answered, judged. Pure. */
public final class StandingDecision {
    private StandingDecision() {}

    public static Standing decide(ClusterFacts facts) {
        for (DataPeer peer : facts.dataPeers()) {
            if (peer.answer() == Answer.PRIMARY && peer.timeline() >= facts.timeline()) {
                return new Standing.Outranked(new PeerPrimary(peer.name(), peer.host(), peer.port(), peer.timeline()));
            }
        }
        Optional<WitnessView> witness = facts.witness();
        if (witness.isPresent()) {
            WitnessView w = witness.get();
            // A node promoted onto a newer timeline, even one down now: this node is an old primary restarted. (Not
            // the witness's copy of repmgr.nodes: it is refreshed only when the witness follows a new primary or every
            // witness_sync_interval, and in a failback it still held this node as the failed primary of the failover
            // before, just when this node had been promoted again: it fenced the new primary, seen on the lab.)
            // The same timeline number recorded later: a promotion from a standby that never saw this node's.
            for (var claim : w.claims().entrySet()) {
                if (claim.getKey().equals(facts.self())) {
                    continue;
                }
                if (claim.getValue().promotedTimeline() > facts.timeline()
                        || w.promotedLaterOnTheSameTimeline(facts.self(), claim.getKey(), facts.timeline())) {
                    return new Standing.Outranked(PeerPrimary.promotedPerWitness(claim.getKey(), w.name(),
                            claim.getValue().promotedTimeline()));
                }
            }
        }
        List<DataPeer> notFollowing = facts.dataPeers().stream().filter(DataPeer::active)
                .filter(p -> !facts.streamingFromMe().contains(p.name())).toList();
        for (DataPeer peer : notFollowing) {
            if (witness.map(w -> w.claimInFlightAgainst(facts.self(), peer.name())).orElse(false)) {
                return new Standing.Outranked(PeerPrimary.beingPromoted(peer.name(), witness.get().name()));
            }
        }
        List<DataPeer> unsure = notFollowing.stream()
                .filter(p -> claim(witness, p).map(Claim::eligible).orElse(true)).toList();
        if (unsure.isEmpty()) {
            return new Standing.Sole(notFollowing.isEmpty() ? "every active data peer streams from this node"
                    : "the witness holds " + names(notFollowing) + " ineligible for promotion");
        }
        String why = witness.isEmpty() ? "the witness does not answer"
                : "the witness holds " + (unsure.size() == 1 ? "it" : "them") + " eligible for promotion";
        return new Standing.Unproven(names(unsure) + " may be promoted: " + why);
    }

    private static Optional<Claim> claim(Optional<WitnessView> witness, DataPeer peer) {
        return witness.flatMap(w -> Optional.ofNullable(w.claims().get(peer.name())));
    }

    private static String names(List<DataPeer> peers) {
        return String.join(", ", peers.stream().map(p -> p.name() + " (" + describe(p) + ")").toList());
    }

    private static String describe(DataPeer p) {
        return switch (p.answer()) {
            case STANDBY -> "a standby not streaming from here";
            case PRIMARY -> "primary on older timeline " + p.timeline();
            case UNREACHABLE -> "unreachable: " + p.unreachableWhy();
        };
    }
}
