package dev.pgflip.lab.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientMeasuresTest {

    private static OpRecord write(long endMs, boolean ok) {
        return new OpRecord("pgflip", OpRecord.Kind.WRITE, endMs, endMs - 3, endMs, ok, ok ? "n1" : null, null);
    }

    @Test
    void theLongestWritePauseCountsTheStretchesBeforeTheFirstAndAfterTheLastWrite() {
        List<OpRecord> ops = List.of(write(1_300, true), write(1_350, true), write(2_000, false), write(3_900, true),
                new OpRecord("pgflip", OpRecord.Kind.READ, -1, 4_000, 4_100, true, "n2", null));

        assertThat(ClientMeasures.longestWritePause(ops, 1_000, 4_200)).isEqualTo(2_550);
        assertThat(ClientMeasures.longestWritePause(ops, 1_000, 9_000)).as("writes stopped for good").isEqualTo(5_100);
        assertThat(ClientMeasures.longestWritePause(ops, 3_000, 4_000)).isEqualTo(900);
        assertThat(ClientMeasures.longestWritePauseWindow(ops, 1_000, 4_200))
                .isEqualTo(new ClientMeasures.PauseWindow(1_350, 3_900));
        assertThat(ClientMeasures.writesDuring(ops, new ClientMeasures.PauseWindow(1_350, 3_900)))
                .as("the failed write and the one acknowledged at the pause's end").extracting(OpRecord::endMs)
                .containsExactly(2_000L, 3_900L);
    }

    @Test
    void noWriteAtAllIsAPauseAsLongAsTheWindow() {
        assertThat(ClientMeasures.longestWritePause(List.of(write(500, false)), 0, 7_000)).isEqualTo(7_000);
    }
}
