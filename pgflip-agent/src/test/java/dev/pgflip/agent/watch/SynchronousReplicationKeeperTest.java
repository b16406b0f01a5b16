package dev.pgflip.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.config.ReplicationConfig;
import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.node.PeerPrimary;
import dev.pgflip.agent.node.Standing;
import dev.pgflip.agent.node.WatchLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SynchronousReplicationKeeperTest {
    private static final String WANTED = "ANY 1 (n1, n2)";
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final FakePrimary primary = new FakePrimary();
    private final FakeLedger ledger = new FakeLedger();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Standing standing = new Standing.Sole("the witness n3 sees this node as primary (0 s ago)");
    private final SynchronousReplicationKeeper keeper = new SynchronousReplicationKeeper(
            new ReplicationConfig(WANTED, Duration.ofSeconds(1)), primary, ledger,
            new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1", PromoteTimeline.NONE), () -> standing);

    private String log() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aStreamingStandbyTurnsSynchronousReplicationOn() {
        primary.streaming = List.of("n2");
        keeper.tick(0);
        keeper.tick(1);
        assertThat(primary.changes).containsExactly(WANTED);
        assertThat(log()).contains("sync_enabled");
    }

    @Test
    void onlyAStandbyTheSettingNamesCountsNotPgReceivewalNorALogicalConsumer() {
        primary.setting = WANTED;
        primary.streaming = List.of("pg_receivewal", "debezium");
        keeper.tick(0);
        keeper.tick(SECOND);
        assertThat(primary.changes).as("no eligible standby: commits would block forever").containsExactly("");
        assertThat(log()).contains("sync_degraded").contains("\"ignored_streams\":\"pg_receivewal,debezium\"");
        keeper.tick(2 * SECOND);
        assertThat(primary.changes).as("and it is not restored for them").containsExactly("");
        primary.streaming = List.of("pg_receivewal", "N2");
        keeper.tick(3 * SECOND);
        assertThat(primary.changes).as("names match case-insensitively, as PostgreSQL does").containsExactly("", WANTED);
    }

    @Test
    void losingTheStandbyDegradesOnlyAfterTheGracePeriod() {
        primary.setting = WANTED;
        keeper.tick(0);
        keeper.tick(SECOND / 2);
        assertThat(primary.changes).isEmpty();
        keeper.tick(SECOND);
        assertThat(primary.changes).containsExactly("");
        assertThat(log()).contains("sync_degraded").contains("no named standby streaming for 1000ms")
                .contains("the witness n3 sees this node");
    }

    @Test
    void aFreshlyPromotedPrimaryDegradesAtOnceWithoutAskingTheGuard() {
        primary.setting = WANTED;
        primary.inRecovery = true;
        primary.failWrites = 1; // not emptied while a standby: the promotion finds it set
        assertThatThrownBy(() -> keeper.tick(0)).isInstanceOf(IllegalStateException.class);
        primary.inRecovery = false;
        standing = new Standing.Unproven("would not be asked");
        keeper.tick(SECOND / 10);
        assertThat(primary.changes).containsExactly("");
        assertThat(log()).contains("promoted: no standby can exist yet");
    }

    @Test
    void aPromotedNodeRecordsItsTimelineOnTheWitnessAfterTheDegradeAndRetriesUntilTheWitnessAnswers() {
        primary.setting = WANTED;
        primary.inRecovery = true;
        keeper.tick(0);
        primary.inRecovery = false;
        ledger.unreachable = true;
        keeper.tick(SECOND / 10);
        assertThat(primary.changes).as("the degrade did not wait for the witness").containsExactly("");
        assertThat(ledger.promotions).isEmpty();
        ledger.unreachable = false;
        keeper.tick(SECOND / 5);
        keeper.tick(SECOND / 2);
        assertThat(ledger.promotions).containsExactly(2L);
    }

    @Test
    void aPromotionByHandPastAnIneligibleMarkIsToldAsPossibleDataLoss() {
        ledger.promotedWhileIneligibleFrom = java.util.OptionalLong.of(0x3000060L);
        primary.setting = WANTED;
        primary.inRecovery = true;
        keeper.tick(0);
        primary.inRecovery = false;
        keeper.tick(SECOND / 10);
        assertThat(log()).contains("\"event\":\"possible_data_loss\"").contains("\"acknowledged_alone_from\":\"0/3000060\"")
                .contains("promoted although the witness held it ineligible");
    }

    @Test
    void aPromotionThroughTheWrapperIsNoLoss() {
        primary.setting = WANTED;
        primary.inRecovery = true;
        keeper.tick(0);
        primary.inRecovery = false;
        keeper.tick(SECOND / 10);
        assertThat(log()).doesNotContain("possible_data_loss");
    }

    @Test
    void aKeeperStartedOnARunningPrimarySeesNoPromotion() {
        primary.setting = WANTED;
        keeper.tick(0);
        assertThat(primary.changes).isEmpty();
    }

    @Test
    void aPrimaryFoundAtStartCompletesItsOwnClaimLeftInFlightOnceRetryingWhileTheWitnessIsAway() {
        ledger.ownClaimInFlight = true;
        ledger.unreachable = true;
        keeper.tick(0);
        assertThat(log()).contains("at start as a primary: cannot complete this node's claim");
        ledger.unreachable = false;
        keeper.tick(SECOND / 10);
        assertThat(ledger.completedClaims).containsExactly(2L);
        assertThat(log()).contains("promotion_claim_completed").contains("\"timeline\":2");
        keeper.tick(SECOND / 5);
        assertThat(ledger.completeAttempts).as("asked once it answered, not at every look").isEqualTo(2);
        assertThat(ledger.promotions).as("no promotion seen: none recorded").isEmpty();
    }

    @Test
    void aPrimaryWhosePostgresqlCameBackAsksAgainWhetherItsClaimIsInFlight() {
        keeper.tick(0);
        assertThat(ledger.completeAttempts).isEqualTo(1);
        primary.unreadable = true;
        assertThatThrownBy(() -> keeper.tick(SECOND / 10)).isInstanceOf(IllegalStateException.class);
        primary.unreadable = false;
        ledger.ownClaimInFlight = true; // promoted and stopped before it was recorded, as far as this watch can tell
        keeper.tick(SECOND / 5);
        assertThat(ledger.completedClaims).containsExactly(2L);
        keeper.tick(SECOND * 3 / 10);
        assertThat(ledger.completeAttempts).isEqualTo(2);
    }

    @Test
    void aStandbyAtStartAsksNothingAboutItsClaim() {
        primary.inRecovery = true;
        ledger.ownClaimInFlight = true;
        keeper.tick(0);
        primary.inRecovery = false;
        keeper.tick(SECOND / 10);
        assertThat(ledger.completeAttempts).as("promoted while watched: recorded as a promotion instead").isZero();
        assertThat(ledger.promotions).containsExactly(2L);
    }

    @Test
    void theStandbyComingBackRestoresItAndAStandbyThatFlapsRestartsTheGrace() {
        keeper.tick(0);
        primary.streaming = List.of("n2");
        keeper.tick(SECOND / 2);
        primary.streaming = List.of();
        keeper.tick(SECOND);
        keeper.tick(SECOND + SECOND / 2);
        assertThat(primary.changes).containsExactly(WANTED);
        keeper.tick(2 * SECOND);
        assertThat(primary.changes).containsExactly(WANTED, "");
    }

    @Test
    void aPrimaryThatCannotProveItIsTheOnlyOneKeepsCommitsWaitingAndSaysWhyOnce() {
        primary.setting = WANTED;
        standing = new Standing.Unproven("n2 (unreachable: timeout) may be promoted and the witness does not answer");
        keeper.tick(0);
        keeper.tick(5 * SECOND);
        keeper.tick(6 * SECOND);
        assertThat(primary.changes).as("the unseen standby may be the one being promoted").isEmpty();
        assertThat(log().split("sync_held", -1)).hasSize(2);
        standing = new Standing.Outranked(new PeerPrimary("n2", "198.18.0.12", 5432, 2));
        keeper.tick(7 * SECOND);
        assertThat(primary.changes).isEmpty();
        assertThat(log()).contains("another primary: n2");
        standing = new Standing.Sole("the witness n3 sees this node as primary (0 s ago)");
        keeper.tick(8 * SECOND);
        assertThat(primary.changes).as("the witness vouches: the standby is really gone").containsExactly("");
    }

    @Test
    void theStandbysAreMarkedIneligibleOnTheWitnessBeforeTheDegrade() {
        primary.setting = WANTED;
        keeper.tick(0);
        keeper.tick(SECOND);
        assertThat(ledger.ineligible).containsExactly("n2");
        assertThat(primary.changes).containsExactly("");
        assertThat(log()).contains("\"ineligible\":\"n2\"");
    }

    @Test
    void noMarkNoDegradeWhenTheWitnessCannotBeReached() {
        primary.setting = WANTED;
        ledger.unreachable = true;
        keeper.tick(0);
        keeper.tick(SECOND);
        keeper.tick(2 * SECOND);
        assertThat(primary.changes).as("commits keep waiting: a promoted n2 would lack them").isEmpty();
        assertThat(log()).contains("sync_held").contains("cannot mark the standbys ineligible on the witness");
    }

    @Test
    void aHeldDegradeAsksTheWitnessAgainOnlyEverySecond() {
        primary.setting = WANTED;
        ledger.unreachable = true;
        keeper.tick(0);
        for (long t = SECOND; t < 2 * SECOND; t += SECOND / 10) {
            keeper.tick(t);
        }
        assertThat(ledger.markAttempts).as("once at 1 s, not every 100 ms").isEqualTo(1);
        ledger.unreachable = false;
        keeper.tick(2 * SECOND);
        assertThat(ledger.markAttempts).isEqualTo(2);
        assertThat(primary.changes).containsExactly("");
    }

    @Test
    void aClaimedPromotionStopsTheDegrade() {
        primary.setting = WANTED;
        ledger.claimed = List.of("n2");
        keeper.tick(0);
        keeper.tick(SECOND);
        assertThat(primary.changes).isEmpty();
        assertThat(log()).contains("the promotion of n2 is claimed on the witness");
    }

    @Test
    void aStandbyIsEligibleAgainOnlyOnceItHasEverythingAcknowledgedWhileDegraded() {
        keeper.tick(0);
        primary.streaming = List.of("n2");
        primary.currentLsn = 500;
        primary.flushLsn = 300;
        keeper.tick(SECOND);
        assertThat(primary.changes).containsExactly(WANTED);
        keeper.tick(2 * SECOND);
        assertThat(ledger.eligible).as("it still lacks 300..500, acknowledged alone").isEmpty();
        primary.flushLsn = 500;
        keeper.tick(3 * SECOND);
        keeper.tick(4 * SECOND);
        assertThat(ledger.eligible).containsExactly("n2");
        assertThat(log()).contains("standby_eligible");
    }

    @Test
    void aStandbyCarryingTheSettingHasItEmptiedOnceAndMarksNothing() {
        primary.inRecovery = true;
        primary.setting = WANTED;
        for (int i = 0; i < 5; i++) {
            keeper.tick(i * SECOND);
        }
        assertThat(primary.changes).as("copied from the primary by a clone or a rejoin").containsExactly("");
        assertThat(log()).contains("\"event\":\"sync_cleared\"").contains("\"was\":\"ANY 1 (n1, n2)\"");
        assertThat(ledger.ineligible).isEmpty();
    }

    @Test
    void aStandbyPromotedWithTheSettingEmptiedStillMarksTheOtherStandbysIneligible() {
        primary.inRecovery = true;
        primary.setting = WANTED;
        keeper.tick(0);
        primary.inRecovery = false;
        keeper.tick(SECOND / 10);
        assertThat(primary.changes).as("nothing left to degrade").containsExactly("");
        assertThat(ledger.ineligible).as("its commits are acknowledged alone from the promotion on")
                .containsExactly("n2");
        assertThat(ledger.promotions).containsExactly(2L);
    }

    @Test
    void aDegradeThatFailsRightAfterThePromotionIsRetriedAtTheNextLookWithoutTheGrace() {
        primary.setting = WANTED;
        primary.inRecovery = true;
        primary.failWrites = 2; // neither emptied while a standby nor at the first look after the promotion
        assertThatThrownBy(() -> keeper.tick(0)).isInstanceOf(IllegalStateException.class);
        primary.inRecovery = false;
        assertThatThrownBy(() -> keeper.tick(SECOND / 10)).isInstanceOf(IllegalStateException.class);
        keeper.tick(SECOND / 5);
        assertThat(primary.changes).containsExactly("");
    }

    private static final class FakeLedger implements PromotionLedger {
        final List<String> ineligible = new ArrayList<>();
        final List<String> eligible = new ArrayList<>();
        List<String> claimed = List.of();
        boolean unreachable;

        int markAttempts;

        @Override
        public List<String> markIneligible(java.util.Collection<String> standbys, String reason, long primaryLsn) {
            markAttempts++;
            if (unreachable) {
                throw new IllegalStateException("cannot mark [n2] ineligible on the witness: connect timed out");
            }
            if (!claimed.isEmpty()) {
                return claimed;
            }
            ineligible.addAll(standbys);
            return List.of();
        }

        @Override
        public void markEligible(String standby, String reason) {
            if (unreachable) {
                throw new IllegalStateException("cannot mark n2 eligible on the witness: connect timed out");
            }
            eligible.add(standby);
        }

        final List<Long> promotions = new ArrayList<>();

        @Override
        public List<String> otherDataNodes() {
            return List.of("n2");
        }

        java.util.OptionalLong promotedWhileIneligibleFrom = java.util.OptionalLong.empty();

        @Override
        public java.util.OptionalLong recordPromotion(long timeline) {
            if (unreachable) {
                throw new IllegalStateException("cannot record this node's promotion on the witness: timeout");
            }
            promotions.add(timeline);
            return promotedWhileIneligibleFrom;
        }

        boolean ownClaimInFlight;
        int completeAttempts;
        final List<Long> completedClaims = new ArrayList<>();

        @Override
        public boolean completeOwnClaim(long timeline) {
            completeAttempts++;
            if (unreachable) {
                throw new IllegalStateException("cannot complete this node's claim on the witness: timeout");
            }
            if (!ownClaimInFlight) {
                return false;
            }
            ownClaimInFlight = false;
            completedClaims.add(timeline);
            return true;
        }
    }

    private static final class FakePrimary implements PrimarySettings {
        String setting = "";
        boolean inRecovery;
        List<String> streaming = List.of();
        long currentLsn = 100;
        long flushLsn = 100;
        int failWrites;
        final List<String> changes = new ArrayList<>();

        boolean unreadable;

        @Override
        public ReplicationState read() {
            if (unreadable) {
                throw new IllegalStateException("cannot read the replication state: Connection refused");
            }
            return new ReplicationState(inRecovery, setting,
                    streaming.stream().map(n -> new ReplicationState.Walsender(n, flushLsn)).toList(), currentLsn,
                    inRecovery ? 0 : 2);
        }

        @Override
        public void setSynchronousStandbyNames(String value) {
            if (failWrites > 0) {
                failWrites--;
                throw new IllegalStateException("cannot set synchronous_standby_names: I/O error");
            }
            setting = value;
            changes.add(value);
        }
    }
}
