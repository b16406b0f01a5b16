package dev.pgflip.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

class CommitPositionTest {

    private static WalPosition at(long timeline, String lsn) {
        return new WalPosition(timeline, LogSequenceNumber.valueOf(lsn));
    }

    /**
     * A writer's connection that answers the capture query, and only it, with {@code lsn} on {@code timeline}, and
     * records what it was asked.
     */
    private static Connection writerAt(long timeline, String lsn, List<String> asked) {
        return connection(sql -> {
            asked.add(sql);
            if (!sql.equals(CommitPosition.QUERY)) {
                throw new SQLException("syntax error", "42601");
            }
            return row(lsn, timeline);
        });
    }

    private static Connection writerAt(long timeline, String lsn) {
        return writerAt(timeline, lsn, new ArrayList<>());
    }

    /** A writer's connection whose capture query fails with {@code failure}. */
    private static Connection writerFailing(SQLException failure) {
        return connection(sql -> {
            throw failure;
        });
    }

    private interface Answer {
        ResultSet to(String sql) throws SQLException;
    }

    private static Connection connection(Answer answer) {
        Statement statement = (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(),
                new Class<?>[] {Statement.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "executeQuery" -> answer.to((String) args[0]);
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "createStatement" -> statement;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** One row: the LSN as text in column 1, the timeline in column 2 (asking by another index or type fails). */
    private static ResultSet row(String lsn, long timeline) {
        return (ResultSet) Proxy.newProxyInstance(ResultSet.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                (proxy, method, args) -> switch (method.getName() + (args == null ? "()" : "(" + args[0] + ")")) {
                    case "next()" -> true;
                    case "getString(1)" -> lsn;
                    case "getLong(2)" -> timeline;
                    case "close()" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void theWritersCurrentLsnAndTimelineAreAskedOnTheCommitsOwnConnection() {
        List<String> asked = new ArrayList<>();
        AtomicReference<WalPosition> session = new AtomicReference<>();

        assertThat(CommitPosition.capture(writerAt(3, "0/3000060", asked), session)).isTrue();

        assertThat(asked).containsExactly("SELECT pg_current_wal_lsn()::text, " + WalPosition.TIMELINE_SQL);
        assertThat(session.get()).isEqualTo(at(3, "0/3000060"));
        assertThat(session.get().token()).isEqualTo("0/3000060@3");
    }

    @Test
    void theSessionsPositionOnlyMovesForward() {
        AtomicReference<WalPosition> session = new AtomicReference<>(at(3, "0/5000100"));

        assertThat(CommitPosition.capture(writerAt(3, "0/5000000"), session))
                .as("an earlier commit's position, reported late, is still known").isTrue();
        assertThat(session.get()).as("but does not move the session back").isEqualTo(at(3, "0/5000100"));

        CommitPosition.capture(writerAt(3, "0/5000200"), session);
        assertThat(session.get()).isEqualTo(at(3, "0/5000200"));
    }

    @Test
    void aCommitOnANewerTimelineMovesTheSessionThereEvenAtALowerLsn() {
        AtomicReference<WalPosition> session = new AtomicReference<>(at(2, "0/5000100"));

        CommitPosition.capture(writerAt(3, "0/5000080"), session);

        assertThat(session.get()).as("after a failover the old timeline's LSN says nothing")
                .isEqualTo(at(3, "0/5000080"));
    }

    @Test
    void aSessionResumedFromAnLsnOnlyTokenTakesTheTimelineOfItsNextCommit() {
        AtomicReference<WalPosition> session = new AtomicReference<>(WalPosition.parseToken("0/5000100"));

        CommitPosition.capture(writerAt(2, "0/5000100"), session);

        assertThat(session.get().token()).isEqualTo("0/5000100@2");
    }

    @Test
    void aPositionThatCannotBeReadIsReportedUnknownAndLeavesTheSessionWhereItWas() {
        AtomicReference<WalPosition> session = new AtomicReference<>(at(3, "0/5000100"));

        boolean known = CommitPosition.capture(writerFailing(
                new SQLException("recovery is in progress", "55000")), session);

        assertThat(known).as("only the writer is known to hold the commit").isFalse();
        assertThat(session.get()).isEqualTo(at(3, "0/5000100"));
    }

    @Test
    void theNextCommitWhosePositionIsReadIsKnownAgain() {
        AtomicReference<WalPosition> session = new AtomicReference<>();
        assertThat(CommitPosition.capture(writerFailing(new SQLException("connection lost", "08006")), session))
                .isFalse();
        assertThat(session.get()).as("a new session stays without a position").isNull();

        assertThat(CommitPosition.capture(writerAt(2, "0/6000000"), session)).isTrue();
        assertThat(session.get()).isEqualTo(at(2, "0/6000000"));
    }

    @Test
    void concurrentCommitsNeverMoveTheSessionBackAndLeaveItAtTheLatest() throws Exception {
        AtomicReference<WalPosition> session = new AtomicReference<>();
        AtomicInteger movedBack = new AtomicInteger();
        int threads = 8;
        int commitsEach = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    WalPosition seen = null;
                    // Interleaved LSNs: every thread's commits are below some other thread's last one.
                    for (int i = 0; i < commitsEach; i++) {
                        long lsn = 0x1000L + (long) i * threads + thread;
                        CommitPosition.capture(writerAt(2, "0/" + Long.toHexString(lsn)), session);
                        // A lost update shows as a position earlier than one this thread saw before.
                        WalPosition now = session.get();
                        if (!now.equals(WalPosition.later(seen, now))) {
                            movedBack.incrementAndGet();
                        }
                        seen = now;
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(movedBack).as("times a thread saw the session move back").hasValue(0);
        long latest = 0x1000L + (long) (commitsEach - 1) * threads + (threads - 1);
        assertThat(session.get()).isEqualTo(at(2, "0/" + Long.toHexString(latest)));
    }
}
