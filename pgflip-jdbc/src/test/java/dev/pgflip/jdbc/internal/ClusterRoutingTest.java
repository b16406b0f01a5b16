package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.jdbc.ClusterDataSource;
import dev.pgflip.jdbc.HostSpec;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

/**
 * A whole Cluster wired over fake pools and never started: the trackers are fed scripted probe answers instead of
 * their monitors, so a borrow goes through the real routing, reactions and pools without a server. Deadlines run on a
 * manual clock.
 */
class ClusterRoutingTest {
    private static final HostSpec FLIP = HostSpec.parse("198.18.0.100:5432");
    private static final HostSpec N1 = HostSpec.parse("198.18.0.11:5432");
    private static final HostSpec N2 = HostSpec.parse("198.18.0.12:5432");

    private final AtomicLong clock = new AtomicLong();
    private final FakePools fakes = new FakePools();
    private final Cluster cluster = new Cluster(ClusterDataSource.builder().name("t").write(FLIP.toString())
            .read(N1.toString(), N2.toString()).database("postgres").user("postgres").config(), fakes);

    @AfterEach
    void close() {
        cluster.close();
    }

    private Deadline in(Duration d) {
        return Deadline.after(d, clock::get);
    }

    private static ProbeResult primary(long timeline) {
        return new ProbeResult(false, false, Duration.ZERO, "0/5000100", timeline);
    }

    private static ProbeResult standby(String lsn) {
        return new ProbeResult(true, true, Duration.ZERO, lsn, 2);
    }

    /** n1 primary on timeline 2 behind the floating IP, n2 its standby. */
    private void healthy() {
        cluster.writer().tracker().answered(primary(2));
        cluster.reader(N1).tracker().answered(primary(2));
        cluster.reader(N2).tracker().answered(standby("0/5000100"));
    }

    private void endpointDown() {
        cluster.writer().tracker().failed(ProbeFailure.refused("Connection refused"));
    }

    private void endpointSilent() {
        cluster.writer().tracker().failed(ProbeFailure.noAnswer("SocketTimeoutException: Read timed out"));
        cluster.writer().tracker().failed(ProbeFailure.noAnswer("SocketTimeoutException: Read timed out"));
    }

    /**
     * A 2.7 s freeze of the primary (drill brief-freeze, 2026-12-07): aborting what was lent at DOWN failed two COMMITs
     * as ambiguous, where waiting would have let them complete. Silent, not refused: held until a promotion is seen.
     */
    @Test
    void aSilentWriterKeepsWhatItLentUntilAPromotionIsSeen() throws SQLException {
        healthy();
        try (Lease write = cluster.borrowWriter(in(Duration.ofSeconds(5)))) {
            endpointSilent();
            assertThat(cluster.writer().tracker().health().state()).isEqualTo(HostState.DOWN);
            assertThat(write.connection().isClosed()).as("held: it may answer again").isFalse();
            cluster.reader(N2).tracker().answered(primary(3));
            assertThat(write.connection().isClosed()).as("n2 promoted: the session may be on the replaced primary")
                    .isTrue();
        }
    }

    @Test
    void aSilentWriterThatAnswersAgainOnItsTimelineLetsItsSessionsFinish() throws SQLException {
        healthy();
        try (Lease write = cluster.borrowWriter(in(Duration.ofSeconds(5)))) {
            endpointSilent();
            cluster.writer().tracker().answered(primary(2));
            assertThat(cluster.writer().tracker().usable()).isTrue();
            cluster.reader(N2).tracker().answered(standby("0/5000100"));
            assertThat(write.connection().isClosed()).as("the same primary, thawed").isFalse();
        }
    }

    @Test
    void aWriterThatRefusesHasWhatItLentAbortedAtOnce() throws SQLException {
        healthy();
        try (Lease write = cluster.borrowWriter(in(Duration.ofSeconds(5)))) {
            endpointDown();
            assertThat(write.connection().isClosed()).isTrue();
        }
    }

    @Test
    void aSilentWriterWithNoPromotionSeenHasWhatItLentAbortedAfterTheRetryDeadline() throws Exception {
        try (Cluster quick = new Cluster(ClusterDataSource.builder().name("q").write(FLIP.toString())
                .read(N1.toString(), N2.toString()).database("postgres").user("postgres")
                .retryDeadline(Duration.ofMillis(300)).config(), new FakePools())) {
            quick.writer().tracker().answered(primary(2));
            quick.reader(N2).tracker().answered(standby("0/5000100"));
            try (Lease write = quick.borrowWriter(in(Duration.ofSeconds(5)))) {
                quick.writer().tracker().failed(ProbeFailure.noAnswer("timeout"));
                quick.writer().tracker().failed(ProbeFailure.noAnswer("timeout"));
                assertThat(write.connection().isClosed()).isFalse();
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!write.connection().isClosed() && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertThat(write.connection().isClosed()).as("aborted after 300 ms").isTrue();
            }
        }
    }

    @Test
    void writesGoThroughTheEndpointAndReadsToTheStandby() throws SQLException {
        healthy();
        try (Lease write = cluster.borrowWriter(in(Duration.ofSeconds(5)));
             Lease read = cluster.borrowReader(in(Duration.ofSeconds(5)))) {
            assertThat(write.pool().name()).isEqualTo("pgflip-t-writer");
            assertThat(read.pool().name()).isEqualTo("pgflip-t-reader-2");
        }
    }

    @Test
    void afterAKillWritesWaitWhileOnlyTheOldPrimaryAnswersThenGoDirectlyToThePromotedStandby() throws SQLException {
        healthy();
        endpointDown();

        assertThatThrownBy(() -> cluster.borrowWriter(in(Duration.ZERO)))
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("no writable primary at " + FLIP + " within the deadline; writer state=DOWN");
        assertThat(fakes.on(N1)).as("no direct pool on the old primary").noneMatch(s -> s.inRecoveryToo);

        cluster.reader(N2).tracker().answered(primary(3));
        try (Lease write = cluster.borrowWriter(in(Duration.ofSeconds(5)))) {
            assertThat(write.pool().name()).isEqualTo("pgflip-t-direct-2");
            assertThat(write.pool().host()).isEqualTo(N2);
        }

        cluster.writer().tracker().answered(primary(3));
        try (Lease write = cluster.borrowWriter(in(Duration.ofSeconds(5)))) {
            assertThat(write.pool().name()).as("the floating IP caught up").isEqualTo("pgflip-t-writer");
        }
        cluster.close(); // waits for the retired-pool closer, which closes a retired pool in the background
        assertThat(fakes.on(N2)).filteredOn(s -> s.inRecoveryToo).singleElement()
                .satisfies(s -> assertThat(s.closed()).as("the direct pool was retired").isTrue());
    }

    @Test
    void aWriterBorrowThatCanOnlyWaitForALoginIsDecidedAgainWithin100MsButOneWaitingForAReturnWaitsASlice()
            throws SQLException {
        healthy();
        FakePools.Source endpoint = fakes.on(FLIP).get(0);
        List<Lease> held = new ArrayList<>();
        try {
            held.add(cluster.borrowWriter(in(Duration.ofSeconds(5))));
            assertThat(endpoint.lastTimeoutMillis).as("fewer lent than max: a wait would be for a login, and a direct"
                    + " route may appear meanwhile").isEqualTo(WriterRoutes.LOGIN_WAIT_MILLIS);
            while (held.size() < 10) {
                held.add(cluster.borrowWriter(in(Duration.ofSeconds(5))));
            }
            held.add(cluster.borrowWriter(in(Duration.ofSeconds(5))));
            assertThat(endpoint.lastTimeoutMillis).as("all 10 lent: the wait is for one to come back")
                    .isEqualTo(HostPool.BORROW_SLICE_MS);
        } finally {
            for (Lease l : held) {
                l.close();
            }
        }
    }

    @Test
    void asManyDirectConnectionsAreWarmedAsWritersHeldEndpointConnectionsAtOnceThoughTheirPoolDroppedThem()
            throws Exception {
        healthy();
        // Three writers at once; their connections fail with the primary and the pool drops them (it counts 0 now).
        try (Lease a = cluster.borrowWriter(in(Duration.ofSeconds(5)));
             Lease b = cluster.borrowWriter(in(Duration.ofSeconds(5)));
             Lease c = cluster.borrowWriter(in(Duration.ofSeconds(5)))) {
            assertThat(cluster.writer().pool().busy()).isEqualTo(3);
        }
        endpointDown();

        FakePools.Source direct = fakes.on(N2).stream().filter(s -> s.inRecoveryToo).findFirst().orElseThrow();
        for (int i = 0; i < 500 && direct.borrows < 3; i++) {
            Thread.sleep(10); // the warming runs on the data source's prewarmer thread
        }
        assertThat(direct.borrows).as("one connection warmed per writer that was writing").isEqualTo(3);
    }

    @Test
    void aWriterConnectionBorrowedWhileTheEndpointBecameAnOldPrimaryIsGivenBackAndTheWriteGoesToTheNewOne()
            throws SQLException {
        healthy();
        // While the borrow waits in the writer pool, n2 is promoted: the endpoint (still n1, timeline 2) is now an old
        // primary. The re-check after the borrow must see that, although the route was decided from the endpoint alone.
        fakes.onBorrow = s -> {
            if (s.host.equals(FLIP)) {
                fakes.onBorrow = other -> { };
                cluster.reader(N2).tracker().answered(primary(3));
            }
        };
        try (Lease write = cluster.borrowWriter(in(Duration.ofSeconds(5)))) {
            assertThat(write.pool().name()).isEqualTo("pgflip-t-direct-2");
        }
        assertThat(cluster.writer().pool().busy()).as("the endpoint's connection went back unused").isZero();
    }

    @Test
    void aReadYourWritesReadGoesToAStandbyWhoseProbeShowsTheCommitElseToTheWriter() throws SQLException {
        healthy();
        WalPosition commit = new WalPosition(2, LogSequenceNumber.valueOf("0/5000100"));
        try (Lease read = cluster.borrowCaughtUpReader(commit, in(Duration.ofSeconds(1)), in(Duration.ofSeconds(5)))) {
            assertThat(read.pool().name()).isEqualTo("pgflip-t-reader-2");
        }
        cluster.reader(N1).tracker().failed(ProbeFailure.refused("Connection refused"));
        cluster.reader(N2).tracker().failed(ProbeFailure.refused("Connection refused"));
        try (Lease read = cluster.borrowCaughtUpReader(commit, in(Duration.ofSeconds(1)), in(Duration.ofSeconds(5)))) {
            assertThat(read.pool().name()).as("no reader usable").isEqualTo("pgflip-t-writer");
        }
    }

    @Test
    void everyBorrowAfterCloseFailsAtOnceWithoutAskingAPool() {
        healthy();
        int borrows = fakes.opened.stream().mapToInt(s -> s.borrows).sum();

        cluster.close();

        for (var borrow : new org.assertj.core.api.ThrowableAssert.ThrowingCallable[] {
                () -> cluster.borrowWriter(in(Duration.ofSeconds(30))),
                () -> cluster.borrowReader(in(Duration.ofSeconds(30))),
                () -> cluster.writer().pool().borrow(30_000)}) {
            assertThatThrownBy(borrow).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"))
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("was closed", "is closed"));
        }
        assertThat(fakes.opened.stream().mapToInt(s -> s.borrows).sum()).isEqualTo(borrows);
        assertThat(fakes.opened).allSatisfy(s -> assertThat(s.closed()).isTrue());
    }

    @Test
    void aReadYourWritesReadAsksAStandbyBehindItsLastProbeWhereItIsUntilItHoldsTheCommit() throws SQLException {
        healthy();
        cluster.reader(N1).tracker().failed(ProbeFailure.refused("Connection refused"));
        cluster.reader(N2).tracker().answered(standby("0/5000000"));
        fakes.walPositions.put(N2, new ArrayDeque<>(List.of(new String[] {"0/5000000", "2"},
                new String[] {"0/5000100", "2"})));
        WalPosition commit = new WalPosition(2, LogSequenceNumber.valueOf("0/5000100"));

        try (Lease read = cluster.borrowCaughtUpReader(commit, in(Duration.ofSeconds(1)), in(Duration.ofSeconds(5)))) {
            assertThat(read.pool().name()).as("replayed the commit at the second question").isEqualTo("pgflip-t-reader-2");
        }
    }

    @Test
    void aReadYourWritesReadGoesToTheWriterWhenTheStandbyCannotShowItHoldsTheCommit() throws SQLException {
        healthy();
        cluster.reader(N1).tracker().failed(ProbeFailure.refused("Connection refused"));
        // On timeline 3 past the commit's LSN, but its history (where timeline 3 forked off 2) cannot be read.
        fakes.walPositions.put(N2, new ArrayDeque<>(List.<String[]>of(new String[] {"0/7000000", "3"})));
        WalPosition commit = new WalPosition(2, LogSequenceNumber.valueOf("0/6000000"));

        try (Lease read = cluster.borrowCaughtUpReader(commit, in(Duration.ofSeconds(1)), in(Duration.ofSeconds(5)))) {
            assertThat(read.pool().name()).isEqualTo("pgflip-t-writer");
        }
        assertThat(cluster.reader(N2).pool().busy()).as("the standby's connection was given back").isZero();
    }
}
