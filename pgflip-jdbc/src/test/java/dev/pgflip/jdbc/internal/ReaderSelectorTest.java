package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.jdbc.HostSpec;
import dev.pgflip.jdbc.ReaderSelection;
import dev.pgflip.jdbc.internal.ReaderSelector.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReaderSelectorTest {
    private static final HostSpec A = new HostSpec("10.0.0.1", 5432);
    private static final HostSpec B = new HostSpec("10.0.0.2", 5432);
    private static final HostSpec P = new HostSpec("10.0.0.9", 5432);

    @Test
    void standbysComeFirstAndThePrimaryOnlyAsLastResort() {
        ReaderSelector s = new ReaderSelector(ReaderSelection.ROUND_ROBIN);
        List<Candidate> readers = List.of(new Candidate(P, HostState.PRIMARY, 0), new Candidate(A, HostState.STANDBY, 0));
        assertThat(s.order(readers)).containsExactly(A, P);
    }

    @Test
    void roundRobinRotatesOverHealthyStandbys() {
        ReaderSelector s = new ReaderSelector(ReaderSelection.ROUND_ROBIN);
        List<Candidate> readers = List.of(new Candidate(A, HostState.STANDBY, 0), new Candidate(B, HostState.STANDBY, 0));
        assertThat(s.order(readers).get(0)).isEqualTo(A);
        assertThat(s.order(readers).get(0)).isEqualTo(B);
        assertThat(s.order(readers).get(0)).isEqualTo(A);
    }

    @Test
    void roundRobinReachesEveryStandbyWhenThePrimaryIsInTheReadListToo() {
        ReaderSelector s = new ReaderSelector(ReaderSelection.ROUND_ROBIN);
        List<Candidate> seedLike = List.of(new Candidate(B, HostState.STANDBY, 0), new Candidate(A, HostState.STANDBY, 0),
                new Candidate(P, HostState.PRIMARY, 0));
        java.util.Set<HostSpec> first = new java.util.HashSet<>();
        for (int read = 0; read < 4; read++) {
            List<HostSpec> order = s.order(seedLike);
            first.add(order.get(0));
            assertThat(order.get(2)).isEqualTo(P);
        }
        assertThat(first).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void leastBusyPicksTheStandbyWithFewestLentConnections() {
        ReaderSelector s = new ReaderSelector(ReaderSelection.LEAST_BUSY);
        assertThat(s.order(List.of(new Candidate(A, HostState.STANDBY, 5), new Candidate(B, HostState.STANDBY, 2))))
                .containsExactly(B, A);
    }

    @Test
    void downLaggingAndUnprobedReadersLeaveTheRotation() {
        ReaderSelector s = new ReaderSelector(ReaderSelection.ROUND_ROBIN);
        assertThat(s.order(List.of(new Candidate(A, HostState.DOWN, 0), new Candidate(B, HostState.LAGGING, 0),
                new Candidate(P, HostState.UNKNOWN, 0)))).as("empty: reads go to the writer").isEmpty();
    }
}
