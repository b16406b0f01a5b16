package dev.pgflip.agent.watch;

import java.util.Collection;
import java.util.List;

/** The primary's side of {@link PromotionClaims}: marks on the witness who may be promoted. */
public interface PromotionLedger {
    /** No witness to keep marks on: degrades are unprotected, as with plain repmgr. */
    PromotionLedger NONE = new PromotionLedger() {
        @Override
        public List<String> markIneligible(Collection<String> standbys, String reason) {
            return List.of();
        }

        @Override
        public void markEligible(String standby, String reason) {}

        @Override
        public List<String> activeStandbys() {
            return List.of();
        }

        @Override
        public void recordPromotion(long timeline) {}
    };

    /**
     * Marks each standby ineligible for promotion, in one transaction on the witness.
     *
     * @return the standbys that could not be marked because their promotion is already claimed (empty: all marked)
     * @throws IllegalStateException when the witness cannot be reached: nothing is known to be marked
     */
    List<String> markIneligible(Collection<String> standbys, String reason);

    /** @throws IllegalStateException when the witness cannot be reached (try again later) */
    void markEligible(String standby, String reason);

    /**
     * This node was promoted onto {@code timeline}: its claim is done (left in flight, it would fence a later
     * primary), and the witness keeps the timeline for an old primary that restarts while this one is down.
     *
     * @throws IllegalStateException when the witness cannot be reached (try again later)
     */
    void recordPromotion(long timeline);

    /** The active standbys registered in this node's repmgr.nodes (those a degrade must mark). */
    List<String> activeStandbys();
}
