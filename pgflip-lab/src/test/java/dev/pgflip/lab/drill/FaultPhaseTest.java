package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LongSummaryStatistics;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FaultPhaseTest {
    @Test
    void delaysCoverOneTurnOfRepmgrdsLoopAndNothingBeyond() {
        FaultPhase phase = new FaultPhase(new SplittableRandom(42));
        LongSummaryStatistics delays = LongStream.range(0, 1_000).map(i -> phase.nextDelayMs()).summaryStatistics();

        assertThat(delays.getMin()).isGreaterThanOrEqualTo(0);
        assertThat(delays.getMax()).isLessThan(FaultPhase.LOOP_MS);
        assertThat(delays.getMax() - delays.getMin()).as("spread over the loop, not one point of it")
                .isGreaterThan(FaultPhase.LOOP_MS * 9 / 10);
        assertThat(delays.getAverage()).isBetween(FaultPhase.LOOP_MS * 0.4, FaultPhase.LOOP_MS * 0.6);
    }
}
