package dev.pgflip.lab.drill;

import static dev.pgflip.lab.drill.RunStageTest.N2;
import static dev.pgflip.lab.drill.RunStageTest.N4;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The standby a run's checks judge, on a lab with two standbys, the fault at {@link #T}. */
class DrillRunTest {
    private static final long T = 1_800_000_000_000L;
    private static final int TICKS = 100;

    @Test
    void theStandbyJudgedIsTheFirstToBecomeWritableNotTheFirstInTheLabsOrder() {
        Map<String, boolean[]> accepted = new LinkedHashMap<>();
        accepted.put("n2", new boolean[TICKS]);
        accepted.put("n4", new boolean[TICKS]);
        accepted.get("n2")[50] = true;
        WritableNodesProbe.Ticks ticks = new WritableNodesProbe.Ticks(T, accepted);
        ClusterEvents n4Promoted = ClusterEvents.parse(List.of("{\"ts\":\"" + Instant.ofEpochMilli(T + 3_000)
                + "\",\"event\":\"pgflip_watch_role_changed\",\"node\":\"n4\",\"to\":\"PRIMARY\"}"));

        assertThat(DrillRun.firstWritableStandby(List.of(N2, N4), n4Promoted, ticks, T)).contains(N4);
        assertThat(DrillRun.firstWritableStandby(List.of(N2, N4), ClusterEvents.parse(List.of()), ticks, T))
                .as("n2 acknowledged a direct write at +5000 ms").contains(N2);
        assertThat(DrillRun.firstWritableStandby(List.of(N2, N4), ClusterEvents.parse(List.of()),
                new WritableNodesProbe.Ticks(T, Map.of()), T)).isEmpty();
    }
}
