package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromotionWatchTest {
    @ParameterizedTest(name = "writer {0} -> {1}: readers woken {2}")
    @CsvSource({
        "PRIMARY, DOWN, true",
        "PRIMARY, STALE_PRIMARY, true",
        "PRIMARY, READ_ONLY, true",
        "PRIMARY, STANDBY, true",
        "UNKNOWN, DOWN, false",
        "DOWN, UNKNOWN, false",
        "DOWN, PRIMARY, false",
        "UNKNOWN, PRIMARY, false",
        "READ_ONLY, DOWN, false"
    })
    void readersAreWokenWhenTheWriterStopsBeingWritable(HostState previous, HostState current, boolean woken) {
        AtomicInteger n1 = new AtomicInteger();
        AtomicInteger n2 = new AtomicInteger();
        PromotionWatch watch = new PromotionWatch(List.<PromotionWatch.Wakeable>of(n1::incrementAndGet, n2::incrementAndGet));

        watch.changed(null, health(previous), health(current));

        assertThat(List.of(n1.get(), n2.get())).containsExactly(woken ? 1 : 0, woken ? 1 : 0);
    }

    private static HostHealth health(HostState state) {
        return new HostHealth(state, null, null, 0, 0);
    }
}
