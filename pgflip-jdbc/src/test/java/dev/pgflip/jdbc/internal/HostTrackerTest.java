package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.HostSpec;
import dev.pgflip.jdbc.HostStatus;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HostTrackerTest {
    private final AtomicLong clock = new AtomicLong();
    private final List<String> changes = new ArrayList<>();

    private HostTracker tracker(Role role) {
        HostTracker t = new HostTracker(new HostSpec("10.0.0.1", 5432), role, Duration.ofSeconds(10), clock::get);
        t.addListener((tr, prev, cur) -> changes.add(prev.state() + "->" + cur.state()));
        return t;
    }

    private static ProbeResult standby(long lagMillis) {
        return new ProbeResult(true, Duration.ofMillis(lagMillis), "0/3000060");
    }

    @Test
    void readerLeavesRotationWhenLaggingOrDownAndReturnsWhenHealthy() {
        HostTracker t = tracker(Role.READER);
        t.answered(standby(0));
        assertThat(t.usable()).isTrue();
        t.answered(standby(10_001));
        assertThat(t.health().state()).isEqualTo(HostState.LAGGING);
        assertThat(t.usable()).isFalse();
        t.failed(ProbeFailure.refused("refused"));
        t.failed(ProbeFailure.refused("refused"));
        assertThat(t.health().lastFailure()).isEqualTo("refused");
        t.answered(standby(5));
        assertThat(t.usable()).isTrue();
        assertThat(changes).containsExactly("UNKNOWN->STANDBY", "STANDBY->LAGGING", "LAGGING->DOWN", "DOWN->STANDBY");
    }

    @Test
    void writerIsUsableOnlyOnAPrimary() {
        HostTracker t = tracker(Role.WRITER);
        t.answered(new ProbeResult(false, Duration.ZERO, "0/1"));
        assertThat(t.usable()).isTrue();
        t.answered(standby(0));
        assertThat(t.usable()).as("the FLIP leads to a standby").isFalse();
    }

    @Test
    void aPrimaryOnAnOlderTimelineThanAnotherHostsIsRefusedForWritesAndReads() {
        TimelineHighWater timelines = new TimelineHighWater();
        HostTracker oldPrimary = new HostTracker(HostSpec.parse("198.18.0.11:5432"), Role.READER, Duration.ofSeconds(10),
                clock::get, timelines);
        HostTracker flip = new HostTracker(HostSpec.parse("198.18.0.100:5432"), Role.WRITER, Duration.ofSeconds(10),
                clock::get, timelines);
        HostTracker newPrimary = new HostTracker(HostSpec.parse("198.18.0.12:5432"), Role.READER, Duration.ofSeconds(10),
                clock::get, timelines);
        oldPrimary.answered(new ProbeResult(false, false, Duration.ZERO, "0/5", 2));
        assertThat(oldPrimary.health().state()).isEqualTo(HostState.PRIMARY);
        newPrimary.answered(new ProbeResult(false, false, Duration.ZERO, "0/6", 3));
        oldPrimary.answered(new ProbeResult(false, false, Duration.ZERO, "0/5", 2));
        assertThat(oldPrimary.health().state()).isEqualTo(HostState.STALE_PRIMARY);
        assertThat(oldPrimary.usable()).as("its data may have diverged: no reads either").isFalse();
        flip.answered(new ProbeResult(false, false, Duration.ZERO, "0/5", 2));
        assertThat(flip.usable()).as("a floating IP that leads back to the old primary takes no writes").isFalse();
        flip.answered(new ProbeResult(false, false, Duration.ZERO, "0/6", 3));
        assertThat(flip.usable()).isTrue();
        assertThat(new ProbeResult(false, false, Duration.ZERO, "0/1").state(Duration.ZERO, 3))
                .as("a timeline not reported is no evidence").isEqualTo(HostState.PRIMARY);
    }

    @Test
    void anOldPrimaryIsStaleTheMomentAnotherHostReportsANewerTimelineNotAtItsOwnNextProbe() {
        TimelineHighWater timelines = new TimelineHighWater();
        HostTracker oldPrimary = new HostTracker(HostSpec.parse("198.18.0.11:5432"), Role.READER, Duration.ofSeconds(10),
                clock::get, timelines);
        HostTracker flip = new HostTracker(HostSpec.parse("198.18.0.100:5432"), Role.WRITER, Duration.ofSeconds(10),
                clock::get, timelines);
        HostTracker standby = new HostTracker(HostSpec.parse("198.18.0.13:5432"), Role.READER, Duration.ofSeconds(10),
                clock::get, timelines);
        HostTracker gone = new HostTracker(HostSpec.parse("198.18.0.14:5432"), Role.READER, Duration.ofSeconds(10),
                clock::get, timelines);
        HostTracker newPrimary = new HostTracker(HostSpec.parse("198.18.0.12:5432"), Role.READER, Duration.ofSeconds(10),
                clock::get, timelines);
        List<String> flipChanges = new ArrayList<>();
        flip.addListener((t, prev, cur) -> flipChanges.add(prev.state() + "->" + cur.state()));
        oldPrimary.answered(new ProbeResult(false, false, Duration.ZERO, "0/5", 2));
        flip.answered(new ProbeResult(false, false, Duration.ZERO, "0/5", 2));
        standby.answered(standby(0));
        gone.answered(new ProbeResult(false, false, Duration.ZERO, "0/4", 2));
        gone.failed(ProbeFailure.refused("Connection refused"));
        assertThat(flip.usable()).isTrue();

        newPrimary.answered(new ProbeResult(false, false, Duration.ZERO, "0/6", 3));

        assertThat(oldPrimary.health().state()).as("re-classified from its last answer, no probe of its own")
                .isEqualTo(HostState.STALE_PRIMARY);
        assertThat(flip.usable()).as("the write endpoint still leads to the old primary: no writes lent to it").isFalse();
        assertThat(flipChanges).containsExactly("UNKNOWN->PRIMARY", "PRIMARY->STALE_PRIMARY");
        assertThat(standby.health().state()).isEqualTo(HostState.STANDBY);
        assertThat(gone.health().state()).as("a host that does not answer has no answer to re-read").isEqualTo(HostState.DOWN);
        assertThat(newPrimary.health().state()).isEqualTo(HostState.PRIMARY);
    }

    @Test
    void aPrimaryIsNoLongerFitForWritesOnceTheMarkRisesAboveItEvenBeforeItIsReclassified() {
        TimelineHighWater timelines = new TimelineHighWater();
        AtomicReference<HostTracker> flip = new AtomicReference<>();
        List<String> atTheRise = new ArrayList<>();
        // Registered before the tracker, so it runs between the rise and the tracker's own re-classification: the
        // window in which a borrow that routed before the rise comes back and re-checks.
        timelines.addListener(newest -> atTheRise.add("usable=" + flip.get().usable()
                + " writableNow=" + flip.get().writableNow()));
        flip.set(new HostTracker(HostSpec.parse("198.18.0.100:5432"), Role.WRITER, Duration.ofSeconds(10), clock::get,
                timelines));
        flip.get().answered(new ProbeResult(false, false, Duration.ZERO, "0/5", 2));
        atTheRise.clear();
        assertThat(flip.get().writableNow()).isTrue();

        timelines.saw(3);

        assertThat(atTheRise).containsExactly("usable=true writableNow=false");
        assertThat(flip.get().usable()).isFalse();
        assertThat(flip.get().writableNow()).isFalse();
    }

    @Test
    void afterARestoreUnderANewSystemIdentifierThePrimaryOnTimelineOneTakesWritesAgain() {
        TimelineHighWater timelines = new TimelineHighWater();
        HostTracker flip = new HostTracker(HostSpec.parse("198.18.0.100:5432"), Role.WRITER, Duration.ofSeconds(10),
                clock::get, timelines);
        flip.answered(new ProbeResult(false, false, Duration.ZERO, "0/9000000", 5, 7_312_345_678_901_234_567L));
        flip.answered(new ProbeResult(false, false, Duration.ZERO, "0/3000000", 1, 7_312_345_678_901_234_567L));
        assertThat(flip.health().state()).as("same cluster, older timeline: an old primary").isEqualTo(HostState.STALE_PRIMARY);

        flip.answered(new ProbeResult(false, false, Duration.ZERO, "0/3000000", 1, 7_412_345_678_901_234_567L));

        assertThat(flip.usable()).as("a new cluster: its timeline 1 is the newest").isTrue();
        assertThat(timelines.newest()).isEqualTo(1);
    }

    @Test
    void aResetByHandLetsAClusterRestoredFromItsOwnBackupTakeWritesAgain() {
        TimelineHighWater timelines = new TimelineHighWater();
        HostTracker flip = new HostTracker(HostSpec.parse("198.18.0.100:5432"), Role.WRITER, Duration.ofSeconds(10),
                clock::get, timelines);
        flip.answered(new ProbeResult(false, false, Duration.ZERO, "0/9000000", 5, 7_312_345_678_901_234_567L));
        flip.answered(new ProbeResult(false, false, Duration.ZERO, "0/3000000", 3, 7_312_345_678_901_234_567L));
        assertThat(flip.usable()).isFalse();

        timelines.reset(TimelineHighWater.newestAnswering(List.of(flip.health())));

        assertThat(flip.usable()).as("re-classified at once, no probe needed").isTrue();
        assertThat(timelines.newest()).isEqualTo(3);
    }

    @Test
    void aReadOnlyPrimaryIsNoWriterButStillAReader() {
        ProbeResult fenced = new ProbeResult(false, true, Duration.ZERO, "0/1");
        HostTracker w = tracker(Role.WRITER);
        w.answered(new ProbeResult(false, Duration.ZERO, "0/1"));
        w.answered(fenced);
        assertThat(w.health().state()).isEqualTo(HostState.READ_ONLY);
        assertThat(w.usable()).as("default_transaction_read_only=on: 25006 on every write").isFalse();
        HostTracker r = tracker(Role.READER);
        r.answered(fenced);
        assertThat(r.usable()).isTrue();
        assertThat(changes).containsExactly("UNKNOWN->PRIMARY", "PRIMARY->READ_ONLY", "UNKNOWN->READ_ONLY");
    }

    private static final ProbeFailure READ_TIMED_OUT = ProbeFailure.noAnswer(
            "PSQLException [08006]: An I/O error occurred while sending to the backend.");

    @Test
    void oneProbeTimeoutOnAHealthyPrimaryChangesNothingAndAbortsNothing() {
        HostTracker t = tracker(Role.WRITER);
        t.answered(new ProbeResult(false, Duration.ZERO, "0/1"));
        changes.clear();
        t.failed(READ_TIMED_OUT);
        assertThat(t.health().state()).isEqualTo(HostState.PRIMARY);
        assertThat(t.usable()).as("writes keep going to it").isTrue();
        assertThat(t.suspect()).as("its monitor re-probes at once").isTrue();
        assertThat(changes).as("no state change: nothing evicted or aborted").isEmpty();
        assertThat(t.status().lastFailure()).contains("08006");
    }

    @Test
    void theSecondTimeoutInARowMakesTheHostDown() {
        HostTracker t = tracker(Role.WRITER);
        t.answered(new ProbeResult(false, Duration.ZERO, "0/1"));
        t.failed(READ_TIMED_OUT);
        t.failed(ProbeFailure.noAnswer("SocketTimeoutException: no answer from 10.0.0.1:5432 within 250 ms"));
        assertThat(t.health().state()).isEqualTo(HostState.DOWN);
        assertThat(t.suspect()).isFalse();
        assertThat(changes).containsExactly("UNKNOWN->PRIMARY", "PRIMARY->DOWN");
    }

    @Test
    void anAnswerBetweenTwoTimeoutsStartsTheCountAgain() {
        HostTracker t = tracker(Role.WRITER);
        t.answered(new ProbeResult(false, Duration.ZERO, "0/1"));
        t.failed(READ_TIMED_OUT);
        t.answered(new ProbeResult(false, Duration.ZERO, "0/2"));
        assertThat(t.suspect()).isFalse();
        assertThat(t.status().lastFailure()).isNull();
        t.failed(READ_TIMED_OUT);
        assertThat(t.usable()).isTrue();
    }

    @Test
    void aRefusedConnectionOrAShuttingDownServerMakesTheHostDownAtOnce() {
        HostTracker t = tracker(Role.WRITER);
        t.answered(new ProbeResult(false, Duration.ZERO, "0/1"));
        t.failed(ProbeFailure.of(new SQLException("Connection to 10.0.0.1:5432 refused.", "08001",
                new ConnectException("Connection refused"))));
        assertThat(t.health().state()).isEqualTo(HostState.DOWN);
        HostTracker r = tracker(Role.READER);
        r.answered(standby(0));
        r.failed(ProbeFailure.of(new SQLException("terminating connection due to administrator command", "57P01")));
        assertThat(r.health().state()).isEqualTo(HostState.DOWN);
    }

    @Test
    void theNumberOfFailuresBeforeDownIsTheConfiguredOne() {
        HostTracker t = new HostTracker(new HostSpec("10.0.0.1", 5432), Role.WRITER, Duration.ofSeconds(10), 3,
                clock::get, new TimelineHighWater());
        t.answered(new ProbeResult(false, Duration.ZERO, "0/1"));
        t.failed(READ_TIMED_OUT);
        t.failed(READ_TIMED_OUT);
        assertThat(t.usable()).isTrue();
        t.failed(READ_TIMED_OUT);
        assertThat(t.health().state()).isEqualTo(HostState.DOWN);
    }

    @Test
    void aHostThatNeverAnsweredIsDownAtItsFirstFailure() {
        HostTracker t = tracker(Role.READER);
        t.failed(READ_TIMED_OUT);
        assertThat(t.health().state()).as("nothing lent to protect, and start-up should not wait")
                .isEqualTo(HostState.DOWN);
    }

    @Test
    void sinceMovesOnlyOnStateChange() {
        HostTracker t = tracker(Role.WRITER);
        clock.set(100);
        t.failed(ProbeFailure.noAnswer("x"));
        clock.set(200);
        t.failed(ProbeFailure.noAnswer("y"));
        assertThat(t.health().sinceNanos()).isEqualTo(100);
    }

    @Test
    void aWaitOnADownHostEndsAtItsBoundNotWhenTheHostComesBack() throws Exception {
        HostTracker t = tracker(Role.WRITER);
        t.failed(ProbeFailure.noAnswer("down"));
        assertThat(awaitUsableWhileItComesBackLate(t, Duration.ofMillis(50))).isFalse();
        assertThat(t.usable()).isFalse();
    }

    /**
     * {@code awaitUsable(bound)} while the host comes back 30 s later: a wait that ignored its bound would see it
     * come back and return true (instead of hanging the build); one that keeps it returns long before.
     */
    private static boolean awaitUsableWhileItComesBackLate(HostTracker t, Duration bound) throws InterruptedException {
        CompletableFuture<Void> comesBack = CompletableFuture.runAsync(
                () -> t.answered(new ProbeResult(false, Duration.ZERO, "0/1")),
                CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS));
        try {
            return t.awaitUsable(bound.toNanos());
        } finally {
            comesBack.cancel(false);
        }
    }

    @Test
    void waitersWakeWhenTheHostBecomesUsable() throws Exception {
        HostTracker t = tracker(Role.WRITER);
        t.failed(ProbeFailure.noAnswer("down"));
        // Bounded far beyond the test's own wait: a waiter that returns was woken, not timed out.
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return t.awaitUsable(TimeUnit.HOURS.toNanos(1));
            } catch (InterruptedException e) {
                return false;
            }
        });
        Thread.sleep(50); // lets the waiter start waiting first; if it has not, the test only checks less
        t.answered(new ProbeResult(false, Duration.ZERO, "0/1"));
        // A hang guard, not a measurement: a waiter that is never woken fails here instead of hanging the build.
        assertThat(waiter.get(60, TimeUnit.SECONDS)).isTrue();
        t.failed(ProbeFailure.refused("down again"));
        assertThat(awaitUsableWhileItComesBackLate(t, Duration.ofMillis(10))).as("a fresh signal after going down")
                .isFalse();
    }

    @Test
    void statusIsASnapshotOfStateUsabilityLagAndTimeInState() {
        HostTracker t = tracker(Role.READER);
        clock.set(1_000_000);
        t.answered(standby(12));
        clock.set(3_000_000);
        HostStatus up = t.status();
        assertThat(up).isEqualTo(new HostStatus(new HostSpec("10.0.0.1", 5432), "reader", dev.pgflip.jdbc.HostState.STANDBY, true,
                Duration.ofMillis(12), "0/3000060", Duration.ofMillis(2), null));
        t.failed(ProbeFailure.refused("Connection refused"));
        assertThat(t.status().state()).isEqualTo(dev.pgflip.jdbc.HostState.DOWN);
        assertThat(t.status().usable()).isFalse();
        assertThat(t.status().lastFailure()).isEqualTo("Connection refused");
        assertThat(up.state()).as("a snapshot does not follow later changes")
                .isEqualTo(dev.pgflip.jdbc.HostState.STANDBY);
    }

    @ParameterizedTest
    @EnumSource(HostState.class)
    void eachStateIsReportedAsThePublicStateOfTheSameName(HostState state) {
        assertThat(state.toPublic().name()).as("the health indicator's and the logs' strings stay the same")
                .isEqualTo(state.name());
    }

    @Test
    void thePublicStatesAreExactlyTheInternalOnes() {
        assertThat(Arrays.stream(dev.pgflip.jdbc.HostState.values()).map(Enum::name))
                .containsExactly(Arrays.stream(HostState.values()).map(Enum::name).toArray(String[]::new));
    }
}
