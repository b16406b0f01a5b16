package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The kept sessions' bookkeeping: when a session is opened, asked, left alone, and opened again. The driver is a
 * stand-in here (a connection whose {@code execute} answers, fails or blocks as the test says); the real sessions on
 * real PostgreSQL are proven on the lab ({@code StatusIT}: an idle lab's peers start no backend on a standby).
 */
class PeerSessionsTest {
    private static final Peer N2 = new Peer("n2", "standby", "198.18.0.12", 5432);
    private static final Peer N3 = new Peer("n3", "witness", "198.18.0.13", 5432);
    private static final Duration WAIT = Duration.ofSeconds(2);

    /** What a stand-in session does when asked. */
    private interface Reply {
        void execute() throws SQLException;
    }

    /** A stand-in connection: {@code reply} on every execute, counting its closes. */
    private static Connection connection(Reply reply, AtomicInteger closes) {
        Statement statement = (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(),
                new Class<?>[] {Statement.class}, (proxy, method, args) -> {
                    if (method.getName().equals("execute")) {
                        reply.execute();
                        return true;
                    }
                    return null;
                });
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "createStatement" -> statement;
                    case "close" -> {
                        closes.incrementAndGet();
                        yield null;
                    }
                    default -> null;
                });
    }

    /** The round's answers once the sessions had time to open (the first round only starts the opens). */
    private static Set<Peer> afterOpening(PeerSessions sessions, List<Peer> peers) throws InterruptedException {
        sessions.answeredWithin(peers, WAIT);
        Thread.sleep(100);
        return sessions.answeredWithin(peers, WAIT);
    }

    @Test
    void theFirstRoundOpensTheSessionsAndLaterRoundsAskThemWithoutOpeningAgain() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        AtomicInteger closes = new AtomicInteger();
        try (PeerSessions sessions = new PeerSessions(p -> {
            opens.incrementAndGet();
            return connection(() -> {}, closes);
        }, System::nanoTime)) {
            assertThat(sessions.answeredWithin(List.of(N2, N3), WAIT)).as("nothing open yet").isEmpty();
            Thread.sleep(100);
            for (int round = 0; round < 10; round++) {
                assertThat(sessions.answeredWithin(List.of(N2, N3), WAIT)).containsExactlyInAnyOrder(N2, N3);
            }
            assertThat(opens).hasValue(2);
            assertThat(closes).hasValue(0);
        }
    }

    @Test
    void aSessionThatFailsIsClosedAndOpenedAgainOnALaterRound() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        AtomicInteger closes = new AtomicInteger();
        AtomicInteger asked = new AtomicInteger();
        Reply failsOnce = () -> {
            if (asked.incrementAndGet() == 1) {
                throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
            }
        };
        try (PeerSessions sessions = new PeerSessions(p -> {
            opens.incrementAndGet();
            return connection(failsOnce, closes);
        }, System::nanoTime)) {
            assertThat(afterOpening(sessions, List.of(N2))).as("the failed question").isEmpty();
            assertThat(closes).hasValue(1);

            assertThat(afterOpening(sessions, List.of(N2))).containsExactly(N2);
            assertThat(opens).hasValue(2);
        }
    }

    @Test
    void aPeerThatRefusesTheSessionIsAskedToOpenOnlyOncePerReopenPeriod() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        try (PeerSessions sessions = new PeerSessions(p -> {
            opens.incrementAndGet();
            throw new SQLException("FATAL: password authentication failed for user \"repmgr\"", "28P01");
        }, now::get)) {
            for (int round = 0; round < 20; round++) {
                assertThat(sessions.answeredWithin(List.of(N2), Duration.ZERO)).isEmpty();
                Thread.sleep(10);
            }
            assertThat(opens).as("opens while the clock stood still").hasValue(1);

            now.addAndGet(PeerSessions.REOPEN_AFTER.toNanos());
            sessions.answeredWithin(List.of(N2), Duration.ZERO);
            Thread.sleep(100);
            assertThat(opens).as("opens once the period passed").hasValue(2);
        }
    }

    @Test
    void aSilentSessionCostsTheRoundItsWaitAndIsNotAskedAgainWhileItHangs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        Reply hangsOnce = () -> {
            if (asked.incrementAndGet() == 1) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (PeerSessions sessions = new PeerSessions(p -> connection(hangsOnce, new AtomicInteger()),
                System::nanoTime)) {
            sessions.answeredWithin(List.of(N2), WAIT);
            Thread.sleep(100);

            long start = System.nanoTime();
            assertThat(sessions.answeredWithin(List.of(N2), Duration.ofMillis(200))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the round waited its 200 ms, no more")
                    .isLessThan(WAIT);
            for (int round = 0; round < 5; round++) {
                assertThat(sessions.answeredWithin(List.of(N2), WAIT)).isEmpty();
            }
            assertThat(asked).as("questions sent while the first hung").hasValue(1);

            release.countDown();
            Thread.sleep(100);
            assertThat(sessions.answeredWithin(List.of(N2), WAIT)).containsExactly(N2);
        }
    }

    @Test
    void aPeerNoLongerListedHasItsSessionClosed() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        try (PeerSessions sessions = new PeerSessions(p -> connection(() -> {}, closes), System::nanoTime)) {
            assertThat(afterOpening(sessions, List.of(N2, N3))).containsExactlyInAnyOrder(N2, N3);

            assertThat(sessions.answeredWithin(List.of(N3), WAIT)).containsExactly(N3);
            Thread.sleep(100);
            assertThat(closes).hasValue(1);
        }
    }
}
