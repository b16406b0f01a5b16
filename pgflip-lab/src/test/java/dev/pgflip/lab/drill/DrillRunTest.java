package dev.pgflip.lab.drill;

import static dev.pgflip.lab.drill.RunStageTest.N1;
import static dev.pgflip.lab.drill.RunStageTest.N2;
import static dev.pgflip.lab.drill.RunStageTest.N4;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /**
     * A freeze on 2 standbys that promoted nobody counted its losses on n2 alone, which lacked the last commits n4 had
     * acknowledged: 3 "lost" writes that were not lost. With no promotion every standby is read.
     */
    @Test
    void lossesAreCountedOnEveryStandbyWhenAFailoverFaultPromotedNone() {
        RunStart start = new RunStart(N1, List.of(N2, N4), null);

        assertThat(DrillRun.lossCountedOn(DrillFault.FREEZE, start, Optional.empty(), N2)).containsExactly(N2, N4);
        assertThat(DrillRun.lossCountedOn(DrillFault.FREEZE, start, Optional.of(N4), N4)).containsExactly(N4);
        assertThat(DrillRun.lossCountedOn(DrillFault.BLIP, start, Optional.empty(), N1))
                .as("a fault that must not fail over counts on the primary it kept").containsExactly(N1);
    }
}
