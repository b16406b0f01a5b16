package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WritableNodesProbeTest {

    @Test
    void onlyTicksInWhichTwoNodesAcknowledgedCountAsDualWritable() {
        Map<String, boolean[]> accepted = new LinkedHashMap<>();
        accepted.put("n1", new boolean[] {true, true, true, false, true, true, false});
        accepted.put("n2", new boolean[] {false, false, true, true, true, false, false});
        WritableNodesProbe.Ticks ticks = new WritableNodesProbe.Ticks(10_000, accepted);

        assertThat(ticks.dualWritableMs()).isEqualTo(200);
        assertThat(ticks.firstDualWritableAt()).contains(10_200L);
        assertThat(ticks.acknowledgedTicks()).containsExactly(entry("n1", 5), entry("n2", 3));
    }

    @Test
    void oneWriterAtATimeIsNeverDualWritableEvenAcrossAFailover() {
        Map<String, boolean[]> accepted = new LinkedHashMap<>();
        accepted.put("n1", new boolean[] {true, true, false, false, false});
        accepted.put("n2", new boolean[] {false, false, false, true, true});

        WritableNodesProbe.Ticks ticks = new WritableNodesProbe.Ticks(0, accepted);

        assertThat(ticks.dualWritableMs()).isZero();
        assertThat(ticks.firstDualWritableAt()).isEmpty();
    }

    @Test
    void nodesWithShorterRecordsCountAsNotWritableBeyondThem() {
        Map<String, boolean[]> accepted = new LinkedHashMap<>();
        accepted.put("n1", new boolean[] {true, true, true});
        accepted.put("n2", new boolean[] {true});

        assertThat(new WritableNodesProbe.Ticks(0, accepted).dualWritableMs()).isEqualTo(100);
    }

    @Test
    void aNodesWritesAreCountedFromTheFirstTickStartingAtOrAfterAnInstant() {
        Map<String, boolean[]> accepted = new LinkedHashMap<>();
        accepted.put("n1", new boolean[] {true, true, false, false, true, true});
        WritableNodesProbe.Ticks ticks = new WritableNodesProbe.Ticks(10_000, accepted);

        assertThat(ticks.acknowledgedFrom("n1", 10_000)).isEqualTo(4);
        assertThat(ticks.acknowledgedFrom("n1", 10_050)).as("the tick begun before is not counted").isEqualTo(3);
        assertThat(ticks.firstAcknowledgedAt("n1", 10_150)).contains(10_400L);
        assertThat(ticks.firstAcknowledgedAt("n1", 10_600)).isEmpty();
        assertThat(ticks.acknowledgedFrom("n9", 0)).isZero();
        assertThat(ticks.firstAcknowledgedAt("n1", 0)).contains(10_000L);
    }
}
