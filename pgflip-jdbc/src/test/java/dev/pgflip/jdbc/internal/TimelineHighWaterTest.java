package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
}
