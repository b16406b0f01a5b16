package dev.pgflip.agent.watch;

import dev.pgflip.agent.node.WatchRecorder;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * The keeper's {@link PromotionLedger}, telling a {@link WatchRecorder} of a promotion the witness held ineligible
 * (the keeper logs {@code possible_data_loss} for the same answer).
 */
public final class RecordingPromotionLedger implements PromotionLedger {
    private final PromotionLedger ledger;
    private final WatchRecorder recorder;

    public RecordingPromotionLedger(PromotionLedger ledger, WatchRecorder recorder) {
        this.ledger = ledger;
        this.recorder = recorder;
    }

    @Override
    public List<String> markIneligible(Collection<String> standbys, String reason, long primaryLsn) {
        return ledger.markIneligible(standbys, reason, primaryLsn);
    }

    @Override
    public void markEligible(String standby, String reason) {
        ledger.markEligible(standby, reason);
    }

    @Override
    public OptionalLong recordPromotion(long timeline) {
        OptionalLong acknowledgedAloneFrom = ledger.recordPromotion(timeline);
        if (acknowledgedAloneFrom.isPresent()) {
            recorder.possibleDataLoss();
        }
        return acknowledgedAloneFrom;
    }

    @Override
    public boolean completeOwnClaim(long timeline) {
        return ledger.completeOwnClaim(timeline);
    }

    @Override
    public List<String> otherDataNodes() {
        return ledger.otherDataNodes();
    }
}
