package dev.pgflip.agent.fence;

import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.watch.ClusterFacts.Answer;
import dev.pgflip.agent.watch.ClusterFacts.Claim;
import dev.pgflip.agent.watch.ClusterFacts.DataPeer;
import dev.pgflip.agent.watch.ClusterFacts.WitnessView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether a stopped node that would start as a primary (no {@code standby.signal}) may do so, judged before its
 * postmaster exists, so no session can write to it first (issue 13, hole 3: a restarted old primary took direct
 * writes for 0.8 s before the watch fenced it). Pure.
 *
 * <p>It starts as it is only when it can show that no other node was promoted after it: a promotion through the
 * promote hook is claimed on the witness first and recorded there with its timeline ({@code pgflip.promotion}), so a
 * witness that answers with no newer promotion (a newer timeline, or the same number recorded after this node's own)
 * and no claim in progress (other than one this node's own later claim superseded) is enough; without the witness,
 * every data peer must answer as a standby on this node's timeline or an older one. Anything else starts it in recovery with a
 * fence record: outranked (another node is or was primary on a newer timeline; {@code pgflip rejoin}), or isolated
 * (unproven; the watch promotes it again once every peer streams from it, as after an isolation fence).
 */
public final class StartDecision {
    private StartDecision() {}

    /** What the guard does: start the node as it is, or in recovery under the given fence. */
    public sealed interface Verdict {
        String why();

        record AsIs(String why) implements Verdict {}

        record InRecovery(FenceState fence) implements Verdict {
            @Override
            public String why() {
                return fence.reason();
            }
        }
    }

    /**
     * @param timeline this node's timeline from its data directory ({@link DataDirectoryTimeline}); empty when it
     *                 could not be read (then nothing can be compared, and the node starts in recovery)
     */
    public static Verdict decide(String self, OptionalLong timeline, List<DataPeer> dataPeers,
            Optional<WitnessView> witness) {
        if (timeline.isEmpty()) {
            return isolated("this node's timeline could not be read from its data directory", timeline);
        }
        long mine = timeline.getAsLong();
        for (DataPeer peer : dataPeers) {
            if (peer.answer() == Answer.PRIMARY && peer.timeline() >= mine) {
                return new Verdict.InRecovery(FenceState.outranked(peer.name(), "timeline " + peer.timeline())
                        .on(mine));
            }
        }
        if (witness.isPresent()) {
            WitnessView w = witness.get();
            for (Map.Entry<String, Claim> claim : w.claims().entrySet()) {
                if (claim.getKey().equals(self)) {
                    continue;
                }
                if (claim.getValue().promotedTimeline() > mine
                        || w.promotedLaterOnTheSameTimeline(self, claim.getKey(), mine)) {
                    return new Verdict.InRecovery(FenceState.outranked(claim.getKey() + " (per the witness " + w.name()
                            + ")", "timeline " + claim.getValue().promotedTimeline()).on(mine));
                }
                if (w.claimInFlightAgainst(self, claim.getKey())) {
                    return isolated("the promotion of " + claim.getKey() + " is claimed on the witness " + w.name(),
                            timeline);
                }
            }
            return new Verdict.AsIs("the witness " + w.name() + " records no promotion after timeline " + mine
                    + " and no data peer is a primary on it or a newer one");
        }
        List<DataPeer> unproven = dataPeers.stream()
                .filter(p -> p.answer() != Answer.STANDBY || p.timeline() > mine).toList();
        if (unproven.isEmpty()) {
            return new Verdict.AsIs("the witness does not answer, but every data peer answered as a standby on timeline "
                    + mine + " or an older one");
        }
        return isolated("the witness does not answer and " + String.join(", ", unproven.stream()
                .map(p -> describe(p, mine)).toList()), timeline);
    }

    private static Verdict isolated(String why, OptionalLong timeline) {
        FenceState state = FenceState.isolatedAtStart("cannot show that no other node was promoted: " + why);
        return new Verdict.InRecovery(timeline.isPresent() ? state.on(timeline.getAsLong()) : state);
    }

    private static String describe(DataPeer p, long mine) {
        return switch (p.answer()) {
            case UNREACHABLE -> p.name() + " is unreachable (" + p.unreachableWhy() + ")";
            case STANDBY -> p.name() + " is a standby on timeline " + p.timeline() + ", newer than this node's " + mine;
            case PRIMARY -> p.name() + " is a primary on older timeline " + p.timeline();
        };
    }
}
