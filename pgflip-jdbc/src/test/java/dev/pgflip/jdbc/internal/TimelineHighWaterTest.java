package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineHighWaterTest {

    @Test
    void listenersHearEveryRiseOfTheMarkAndNothingElse() {
        TimelineHighWater mark = new TimelineHighWater();
        List<Long> heard = new ArrayList<>();
        mark.addListener(heard::add);
        mark.saw(2);
        mark.saw(2);
        mark.saw(1);
        mark.saw(3);
        assertThat(heard).containsExactly(2L, 3L);
        assertThat(mark.newest()).isEqualTo(3);
    }

    @Test
    void aListenerThatFailsDoesNotKeepTheOthersOnTheOldMark() {
        TimelineHighWater mark = new TimelineHighWater();
        List<Long> heard = new ArrayList<>();
        mark.addListener(newest -> {
            throw new IllegalStateException("one host's reaction failed");
        });
        mark.addListener(heard::add);
        mark.saw(4);
        assertThat(heard).containsExactly(4L);
    }

    private static final long CLUSTER = 7_312_345_678_901_234_567L;
    private static final long RESTORED = 7_412_345_678_901_234_567L;

    @Test
    void aPrimaryOfAnotherClusterRestartsTheMarkBecauseItsTimelinesStartedOver() {
        TimelineHighWater mark = new TimelineHighWater();
        List<Long> heard = new ArrayList<>();
        mark.addListener(heard::add);
        mark.saw(CLUSTER, 5);
        mark.saw(RESTORED, 1);
        assertThat(mark.newest()).isEqualTo(1);
        assertThat(mark.isAbove(1)).isFalse();
        mark.saw(RESTORED, 2);
        assertThat(mark.newest()).isEqualTo(2);
        assertThat(heard).as("the lower mark re-classifies every host too").containsExactly(5L, 1L, 2L);
    }

    @Test
    void anAnswerWithoutASystemIdentifierNeitherRestartsTheMarkNorForgetsTheCluster() {
        TimelineHighWater mark = new TimelineHighWater();
        mark.saw(CLUSTER, 5);
        mark.saw(ProbeResult.UNKNOWN_SYSTEM, 2);
        assertThat(mark.newest()).isEqualTo(5);
        mark.saw(RESTORED, 1);
        assertThat(mark.newest()).as("still recorded for CLUSTER").isEqualTo(1);
    }

    @Test
    void theFirstIdentifierSeenIsAdoptedWithoutARestart() {
        TimelineHighWater mark = new TimelineHighWater();
        mark.saw(4);
        mark.saw(CLUSTER, 3);
        assertThat(mark.newest()).isEqualTo(4);
    }

    @Test
    void aResetByHandRestartsAtTheGivenTimelineAndTellsTheListeners() {
        TimelineHighWater mark = new TimelineHighWater();
        List<Long> heard = new ArrayList<>();
        mark.addListener(heard::add);
        mark.saw(CLUSTER, 5);
        mark.reset(3);
        assertThat(mark.newest()).isEqualTo(3);
        assertThat(heard).containsExactly(5L, 3L);
    }

    @Test
    void aResetByHandRestartsFromTheNewestPrimaryAnsweringNowSoAnOldPrimaryBesideANewerOneStaysRefused() {
        HostHealth oldPrimary = new HostHealth(HostState.STALE_PRIMARY,
                new ProbeResult(false, false, Duration.ZERO, "0/5", 2), null, 0, 0);
        HostHealth newPrimary = new HostHealth(HostState.STALE_PRIMARY,
                new ProbeResult(false, false, Duration.ZERO, "0/6", 3), null, 0, 0);
        HostHealth standby = new HostHealth(HostState.STANDBY,
                new ProbeResult(true, true, Duration.ZERO, "0/6", 3), null, 0, 0);
        HostHealth down = new HostHealth(HostState.DOWN,
                new ProbeResult(false, false, Duration.ZERO, "0/9", 5), "refused", 1, 0);
        assertThat(TimelineHighWater.newestAnswering(List.of(oldPrimary, newPrimary, standby, down))).isEqualTo(3);
        assertThat(TimelineHighWater.newestAnswering(List.of(standby, HostHealth.unknown(0))))
                .isEqualTo(ProbeResult.UNKNOWN_TIMELINE);
    }
}
