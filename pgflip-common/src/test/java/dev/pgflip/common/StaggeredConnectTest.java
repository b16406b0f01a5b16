package dev.pgflip.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The staggering itself on a manual clock and scripted attempts, so when each attempt starts and when the call
 * returns are exact; then the real sockets, once each for an answer, a refusal and a lost SYN.
 */
class StaggeredConnectTest {
    private static final Duration STAGGER = Duration.ofMillis(20);
    private static final InetSocketAddress FLIP = new InetSocketAddress("198.18.0.100", 5432);

    /** What one scripted attempt does: connect or be refused {@code afterMillis} after it started, or never answer. */
    record Answer(boolean connects, long afterMillis) {
        static final Answer NEVER = null;

        static Answer connectsAfter(long millis) {
            return new Answer(true, millis);
        }

        static Answer refusedAfter(long millis) {
            return new Answer(false, millis);
        }
    }

    /** Attempts whose answers follow a script, on a clock that moves only while the loop waits. */
    static final class ScriptedAttempts implements StaggeredConnect.Attempts {
        private final List<Answer> script;
        private final List<long[]> pending = new ArrayList<>(); // {due nanos, attempt index}
        final List<Long> startedAtMillis = new ArrayList<>();
        long nanos;

        ScriptedAttempts(Answer... script) {
            this.script = Arrays.asList(script);
        }

        long nowMillis() {
            return TimeUnit.NANOSECONDS.toMillis(nanos);
        }

        @Override
        public boolean start() {
            int index = startedAtMillis.size();
            startedAtMillis.add(nowMillis());
            Answer answer = index < script.size() ? script.get(index) : Answer.NEVER;
            if (answer == Answer.NEVER) {
                return false;
            }
            if (answer.connects() && answer.afterMillis() == 0) {
                return true;
            }
            pending.add(new long[] {nanos + TimeUnit.MILLISECONDS.toNanos(answer.afterMillis()), index});
            return false;
        }

        @Override
        public boolean awaitAny(long millis, Consumer<IOException> failed) {
            long until = nanos + TimeUnit.MILLISECONDS.toNanos(millis);
            long[] next = pending.stream().filter(p -> p[0] <= until).min((a, b) -> Long.compare(a[0], b[0]))
                    .orElse(null);
            if (next == null) {
                nanos = until;
                return false;
            }
            pending.remove(next);
            nanos = next[0];
            Answer answer = script.get((int) next[1]);
            if (answer.connects()) {
                return true;
            }
            failed.accept(new ConnectException("attempt " + next[1] + " refused"));
            return false;
        }
    }

    private static void await(ScriptedAttempts attempts, long budgetMillis) throws IOException {
        StaggeredConnect.await(attempts, () -> attempts.nanos, FLIP, Duration.ofMillis(budgetMillis), STAGGER);
    }

    @Test
    void startsAFreshAttemptEveryStaggerWhileEarlierOnesGoUnanswered() {
        ScriptedAttempts attempts = new ScriptedAttempts();

        assertThatThrownBy(() -> await(attempts, 100)).isInstanceOf(SocketTimeoutException.class)
                .hasMessage("no answer from " + FLIP + " within 100 ms");
        assertThat(attempts.startedAtMillis).containsExactly(0L, 20L, 40L, 60L, 80L);
        assertThat(attempts.nowMillis()).as("gave up at the budget, not before or after").isEqualTo(100);
    }

    /** A SYN that went to the old host is never answered; a later attempt reaches the new one, and that is enough. */
    @Test
    void laterAttemptsGetThroughWhileAnEarlierSynIsLost() throws IOException {
        ScriptedAttempts attempts = new ScriptedAttempts(Answer.NEVER, Answer.NEVER, Answer.connectsAfter(5));

        await(attempts, 1000);

        assertThat(attempts.startedAtMillis).containsExactly(0L, 20L, 40L);
        assertThat(attempts.nowMillis()).as("returned when the third attempt connected, 5 ms after it started")
                .isEqualTo(45);
    }

    @Test
    void returnsAsSoonAsAnAttemptConnectsWithoutStartingAnother() throws IOException {
        ScriptedAttempts atOnce = new ScriptedAttempts(Answer.connectsAfter(0));
        ScriptedAttempts soon = new ScriptedAttempts(Answer.connectsAfter(3));

        await(atOnce, 100);
        await(soon, 100);

        assertThat(atOnce.startedAtMillis).containsExactly(0L);
        assertThat(atOnce.nowMillis()).isZero();
        assertThat(soon.startedAtMillis).containsExactly(0L);
        assertThat(soon.nowMillis()).isEqualTo(3);
    }

    @Test
    void refusalsDoNotHurryTheNextAttemptAndTheLastOneIsThrownAtTheBudget() {
        ScriptedAttempts attempts = new ScriptedAttempts(Answer.refusedAfter(1), Answer.refusedAfter(1),
                Answer.refusedAfter(1));

        assertThatThrownBy(() -> await(attempts, 50)).isInstanceOf(ConnectException.class)
                .hasMessage("attempt 2 refused");
        assertThat(attempts.startedAtMillis).containsExactly(0L, 20L, 40L);
        assertThat(attempts.nowMillis()).isEqualTo(50);
    }

    @Test
    void aRefusalEndsTheWaitAtOnceWhenAskedTo() {
        ScriptedAttempts attempts = new ScriptedAttempts(Answer.NEVER, Answer.refusedAfter(1), Answer.connectsAfter(1));

        assertThatThrownBy(() -> StaggeredConnect.await(attempts, () -> attempts.nanos, FLIP, Duration.ofMillis(250),
                STAGGER, StaggeredConnect.OnRefusal.FAIL)).isInstanceOf(ConnectException.class)
                .hasMessage("attempt 1 refused");
        assertThat(attempts.startedAtMillis).as("no attempt after the refusal").containsExactly(0L, 20L);
        assertThat(attempts.nowMillis()).as("thrown when the refusal came, not at the budget").isEqualTo(21);
    }

    @Test
    void aConnectTimeoutIsSilenceNotARefusal() {
        assertThat(StaggeredConnect.refusal(new ConnectException("Connection refused"))).isTrue();
        assertThat(StaggeredConnect.refusal(new ConnectException("Connection timed out"))).isFalse();
        assertThat(StaggeredConnect.refusal(new SocketTimeoutException("no answer"))).isFalse();
        assertThat(StaggeredConnect.refusal(null)).isFalse();
    }

    @Test
    void anAnswerAfterTheBudgetIsNotWaitedFor() {
        ScriptedAttempts attempts = new ScriptedAttempts(Answer.connectsAfter(150));

        assertThatThrownBy(() -> StaggeredConnect.await(attempts, () -> attempts.nanos, FLIP, Duration.ofMillis(100),
                Duration.ofSeconds(1))).isInstanceOf(SocketTimeoutException.class);
        assertThat(attempts.startedAtMillis).containsExactly(0L);
        assertThat(attempts.nowMillis()).isEqualTo(100);
    }

    @Test
    void onRealSocketsReturnsWhenTheListenerAnswers() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatCode(() -> StaggeredConnect.await(address(server), Duration.ofSeconds(5), STAGGER))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void onRealSocketsThrowsTheRefusalWhenNothingListens() throws IOException {
        InetSocketAddress closed;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = address(server);
        }
        assertThatThrownBy(() -> StaggeredConnect.await(closed, Duration.ofMillis(100), STAGGER))
                .isInstanceOf(ConnectException.class);
    }

    /**
     * The real sockets keep earlier attempts open while starting later ones: a full accept queue drops SYNs, like a
     * floating IP that just moved, and the kernel would resend the first one only after its 1 s initial RTO. The queue
     * is drained once the second attempt has started, so the first SYN is surely lost; the budget is shorter than that
     * RTO, so a success means a later attempt got through.
     */
    @Test
    void onRealSocketsALaterAttemptGetsThroughWhileTheFirstSynIsLost() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(address(server), 100);
                        fillers.add(s);
                    } catch (IOException e) {
                        s.close();
                    }
                }
                Thread drain = new Thread(() -> {
                    try {
                        while (!server.isClosed()) {
                            server.accept().close();
                        }
                    } catch (IOException ignored) {
                        // the test is over
                    }
                }, "test-drain");
                drain.setDaemon(true);
                int[] started = {0};
                try (StaggeredConnect.SocketAttempts sockets = new StaggeredConnect.SocketAttempts(address(server))) {
                    StaggeredConnect.Attempts counted = new StaggeredConnect.Attempts() {
                        @Override
                        public boolean start() throws IOException {
                            boolean connected = sockets.start();
                            if (++started[0] == 2) {
                                drain.start();
                            }
                            return connected;
                        }

                        @Override
                        public boolean awaitAny(long millis, Consumer<IOException> failed) throws IOException {
                            return sockets.awaitAny(millis, failed);
                        }
                    };
                    assertThatCode(() -> StaggeredConnect.await(counted, System::nanoTime, address(server),
                            Duration.ofMillis(800), STAGGER)).doesNotThrowAnyException();
                }
                assertThat(started[0]).as("the first attempt's SYN was dropped by the full queue").isGreaterThan(1);
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    private static InetSocketAddress address(ServerSocket server) {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }
}
