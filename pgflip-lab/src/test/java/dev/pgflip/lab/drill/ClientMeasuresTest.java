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
    void theSlowestWriteIsOneCallsWaitEvenWhileOtherWritesWereAcknowledged() {
        List<OpRecord> ops = List.of(
                new OpRecord("pgflip", OpRecord.Kind.WRITE, 1, 1_000, 2_200, true, "n2", null),
                write(1_300, true), write(1_600, true), write(1_900, true),
                new OpRecord("pgflip", OpRecord.Kind.WRITE, 5, 3_000, 3_400, false, null, "refused"),
                new OpRecord("pgflip", OpRecord.Kind.READ, -1, 4_800, 5_600, true, "n2", null));

        assertThat(ClientMeasures.longestWritePause(ops, 1_000, 2_200)).as("acknowledgements every 300 ms").isEqualTo(300);
        assertThat(ClientMeasures.slowestWrite(ops, 1_000, 2_200)).map(OpRecord::seq).as("yet one call waited 1.2 s")
                .hasValue(1L);
        assertThat(ClientMeasures.slowestWrite(ops, 2_900, 5_000)).map(OpRecord::seq).as("a failed call counts too")
                .hasValue(5L);
        assertThat(ClientMeasures.slowestWrite(ops, 5_000, 6_000)).as("reads are not writes").isEmpty();
    }

    @Test
    void noWriteAtAllIsAPauseAsLongAsTheWindow() {
        assertThat(ClientMeasures.longestWritePause(List.of(write(500, false)), 0, 7_000)).isEqualTo(7_000);
    }
}
