package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.HostSpec;
import dev.pgflip.jdbc.ReaderSelection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

class ReadRouterTest {
    private static final HostSpec A = HostSpec.parse("10.0.0.1:5432");
    private static final HostSpec B = HostSpec.parse("10.0.0.2:5432");
    private static final HostSpec P = HostSpec.parse("10.0.0.9:5432");
    private static final ClusterView.HostView WRITER = new ClusterView.HostView(HostSpec.parse("10.0.0.100:5432"),
            HostState.PRIMARY, true, true, 2, false, null, 0);
    /** The session committed at 0/5000100 on timeline 2. */
    private static final WalPosition COMMIT = new WalPosition(2, LogSequenceNumber.valueOf("0/5000100"));

    private static ClusterView.HostView reader(HostSpec host, HostState state, String lsn, long timeline, int busy) {
        ProbeResult answer = new ProbeResult(state != HostState.PRIMARY, state != HostState.PRIMARY, Duration.ZERO, lsn,
                timeline);
        return new ClusterView.HostView(host, state, state.readable(), state.writable(), 0, false, answer, busy);
    }

    private static ClusterView view(ClusterView.HostView... readers) {
        return new ClusterView(WRITER, List.of(readers));
    }

    @Test
    void standbysComeFirstThenAPrimaryAndNeverALaggingOrDownReader() {
        ReadRouter router = new ReadRouter(ReaderSelection.LEAST_BUSY);
        ClusterView v = view(reader(P, HostState.PRIMARY, "0/6000000", 2, 0), reader(A, HostState.STANDBY, "0/6000000", 2, 3),
                reader(B, HostState.LAGGING, "0/6000000", 2, 0));
        assertThat(router.order(v)).containsExactly(A, P);
        assertThat(router.order(view(reader(A, HostState.DOWN, "0/6000000", 2, 0)))).as("reads go to the writer")
                .isEmpty();
    }

    @Test
    void eachOrderTakesTheNextTurnOfTheRoundRobin() {
        ReadRouter router = new ReadRouter(ReaderSelection.ROUND_ROBIN);
        ClusterView v = view(reader(A, HostState.STANDBY, "0/6000000", 2, 0), reader(B, HostState.STANDBY, "0/6000000", 2, 0));
        assertThat(router.order(v)).containsExactly(A, B);
        assertThat(router.order(v)).containsExactly(B, A);
    }

    @Test
    void aReaderIsCaughtUpWhenItsLastProbeShowsTheCommitReplayedOnItsTimeline() {
        ReadRouter router = new ReadRouter(ReaderSelection.LEAST_BUSY);
        ClusterView v = view(reader(A, HostState.STANDBY, "0/5000100", 2, 1), reader(B, HostState.STANDBY, "0/50000FF", 2, 0),
                reader(P, HostState.PRIMARY, "0/7000000", 2, 0));
        assertThat(router.caughtUp(v, COMMIT)).as("B is one byte short; in reader order").containsExactly(A, P);
    }

    @Test
    void aReaderOnAnotherTimelineOrOutOfTheRotationIsNotCaughtUpByItsProbe() {
        ReadRouter router = new ReadRouter(ReaderSelection.LEAST_BUSY);
        ClusterView v = view(reader(A, HostState.STANDBY, "0/9000000", 3, 0), reader(B, HostState.LAGGING, "0/9000000", 2, 0),
                reader(P, HostState.STANDBY, "0/9000000", ProbeResult.UNKNOWN_TIMELINE, 0));
        assertThat(router.caughtUp(v, COMMIT)).as("A: a later timeline needs its history asked; B: lagging;"
                + " P: its timeline unknown").isEmpty();
    }
}
