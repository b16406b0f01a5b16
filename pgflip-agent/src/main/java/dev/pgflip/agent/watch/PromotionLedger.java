package dev.pgflip.agent.watch;

import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/** The primary's side of {@link PromotionClaims}: marks on the witness who may be promoted. */
public interface PromotionLedger {
    /** No witness to keep marks on: degrades are unprotected, as with plain repmgr. */
    PromotionLedger NONE = new PromotionLedger() {
        @Override
        public List<String> markIneligible(Collection<String> standbys, String reason, long primaryLsn) {
            return List.of();
        }

        @Override
        public void markEligible(String standby, String reason) {}

        @Override
        public List<String> otherDataNodes() {
            return List.of();
        }

        @Override
        public OptionalLong recordPromotion(long timeline) {
            return OptionalLong.empty();
        }

        @Override
        public boolean completeOwnClaim(long timeline) {
            return false;
        }
    };

    /**
     * Marks each standby ineligible for promotion, in one transaction on the witness.
     *
     * @param primaryLsn this node's WAL position: from here on it acknowledges commits the standbys lack
     * @return the standbys that could not be marked because their promotion is already claimed (empty: all marked)
     * @throws IllegalStateException when the witness cannot be reached: nothing is known to be marked
     */
    List<String> markIneligible(Collection<String> standbys, String reason, long primaryLsn);

    /** @throws IllegalStateException when the witness cannot be reached (try again later) */
    void markEligible(String standby, String reason);

    /**
     * This node was promoted onto {@code timeline}: its claim is done (left in flight, it would fence a later
     * primary), and the witness keeps the timeline for an old primary that restarts while this one is down.
     *
     * @return when this node was promoted although ineligible (by hand: the wrapper would have refused), the old
     *     primary's WAL position from which it acknowledged commits alone, which this node lacks
     * @throws IllegalStateException when the witness cannot be reached (try again later)
     */
    OptionalLong recordPromotion(long timeline);

    /**
     * This node runs as a primary on {@code timeline} while the witness still shows its promotion claimed, in flight:
     * it was promoted and stopped before the promotion was recorded. Left so, the claim fences the next node promoted.
     *
     * @return whether such a claim was there (now recorded as done)
     * @throws IllegalStateException when the witness cannot be reached (try again later)
     */
    boolean completeOwnClaim(long timeline);

    /** Every other data node registered in this node's repmgr.nodes, active or not (those a degrade must mark). */
    List<String> otherDataNodes();
}
