package dev.pgflip.agent.watch;

import dev.pgflip.agent.node.ClaimedPromotion;
import dev.pgflip.agent.node.Standing;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this primary learned in one look at its cluster: its own timeline, each data peer's answer, the witness's
 * view, and which standbys stream from it now. Gathered at the edge ({@link JdbcClusterFacts}); judged by the pure
 * {@link StandingDecision#decide}.
 *
 * @param streamingFromMe application_names of the walsenders in state 'streaming' on this node
 */
public record ClusterFacts(String self, long timeline, List<DataPeer> dataPeers,
                           Optional<WitnessView> witness, Set<String> streamingFromMe) {
    public ClusterFacts {
        dataPeers = List.copyOf(dataPeers);
        streamingFromMe = Set.copyOf(streamingFromMe);
    }

    /** How a data peer answered. */
    public enum Answer { STANDBY, PRIMARY, UNREACHABLE }

    /**
     * Another primary or standby registered in this node's repmgr.nodes.
     *
     * @param active repmgr's flag: false for an old primary replaced by a promotion and not rejoined since
     * @param timeline the peer's timeline when it answered as primary (or as a standby, where the asker read it), else -1
     */
    public record DataPeer(String name, int nodeId, boolean active, Answer answer, long timeline, String host, int port,
                           String unreachableWhy) {
        public static DataPeer standby(String name, int nodeId, boolean active) {
            return new DataPeer(name, nodeId, active, Answer.STANDBY, -1, "", 0, "");
        }

        /** A standby with the timeline of its last checkpoint (what a node in recovery can tell). */
        public static DataPeer standby(String name, int nodeId, boolean active, long timeline) {
            return new DataPeer(name, nodeId, active, Answer.STANDBY, timeline, "", 0, "");
        }

        public static DataPeer primary(String name, int nodeId, boolean active, long timeline, String host, int port) {
            return new DataPeer(name, nodeId, active, Answer.PRIMARY, timeline, host, port, "");
        }

        public static DataPeer unreachable(String name, int nodeId, boolean active, String why) {
            return new DataPeer(name, nodeId, active, Answer.UNREACHABLE, -1, "", 0, why);
        }
    }

    /**
     * The witness's view, asked over the network: the {@link PromotionClaims} kept there, by node_name (whether each
     * may be promoted, whether its promotion is claimed, onto which timeline it was last promoted).
     */
    public record WitnessView(String name, Map<String, Claim> claims) {
        public WitnessView {
            claims = Map.copyOf(claims);
        }

        /**
         * Whether {@code peer}'s promotion is claimed and in flight, and not superseded for {@code self}: a claim that
         * {@code self}'s own later claim or recorded promotion came after no longer counts against it (the claimer was
         * promoted and stopped before recording, or it sees the later claim and fences). Unknown times count.
         */
        public boolean claimInFlightAgainst(String self, String peer) {
            Claim theirs = claims.get(peer);
            if (theirs == null || !theirs.promoting()) {
                return false;
            }
            Claim mine = claims.get(self);
            return mine == null || mine.claimedAt() == Claim.UNKNOWN || mine.claimedAt() <= theirs.changedAt();
        }

        /**
         * Of {@code peers}, one whose promotion outranks {@code self} on {@code timeline}: recorded (onto a newer
         * timeline, or onto the same number after {@code self}'s) before one merely claimed in flight, then by name;
         * empty when none does. The fence's fast look ({@link WitnessClaims}).
         */
        public Optional<ClaimedPromotion> outranking(String self, Collection<String> peers, long timeline) {
            Optional<ClaimedPromotion> claimed = Optional.empty();
            for (String peer : new TreeSet<>(peers)) {
                Claim theirs = claims.get(peer);
                if (theirs == null) {
                    continue;
                }
                if (theirs.promotedTimeline() > timeline || promotedLaterOnTheSameTimeline(self, peer, timeline)) {
                    return Optional.of(new ClaimedPromotion(peer, true));
                }
                if (claimed.isEmpty() && claimInFlightAgainst(self, peer)) {
                    claimed = Optional.of(new ClaimedPromotion(peer, false));
                }
            }
            return claimed;
        }

        /**
         * Whether {@code peer} was recorded promoted after {@code self}'s last promotion although onto the same
         * timeline number: a promotion from a standby that never saw {@code self}'s (split timelines, e.g. the node
         * promoted first died before the other followed it). Unknown times say nothing.
         */
        public boolean promotedLaterOnTheSameTimeline(String self, String peer, long timeline) {
            Claim theirs = claims.get(peer);
            Claim mine = claims.get(self);
            return theirs != null && mine != null && !theirs.promoting() && theirs.promotedTimeline() == timeline
                    && theirs.claimedAt() != Claim.UNKNOWN && mine.claimedAt() != Claim.UNKNOWN
                    && theirs.claimedAt() > mine.claimedAt();
        }
    }

    /**
     * A row of {@code pgflip.promotion} on the witness.
     *
     * @param promotedTimeline the timeline its last promotion brought, -1 when none was recorded
     * @param changedAt when the row last changed, microseconds on the witness's clock (for a claim in flight: when it
     *     was claimed)
     * @param claimedAt when its claim in flight, or its last recorded promotion, was claimed (or, promoted without a
     *     claim, recorded), microseconds on the witness's clock; {@link #UNKNOWN} when none, withdrawn, or written by
     *     an older agent
     */
    public record Claim(boolean eligible, boolean promoting, long promotedTimeline, long changedAt, long claimedAt) {
        public static final long UNKNOWN = -1;

        public Claim(boolean eligible, boolean promoting) {
            this(eligible, promoting, -1, UNKNOWN, UNKNOWN);
        }

        public Claim(boolean eligible, boolean promoting, long promotedTimeline) {
            this(eligible, promoting, promotedTimeline, UNKNOWN, UNKNOWN);
        }
    }
}
