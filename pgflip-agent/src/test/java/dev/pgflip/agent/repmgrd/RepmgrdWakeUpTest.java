package dev.pgflip.agent.repmgrd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.node.WatchLog;
import dev.pgflip.agent.node.WatchRecorder;
import dev.pgflip.agent.repmgr.RepmgrConf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Standby n2 streaming from n1 (198.18.0.11), repmgrd PID 4242: woken once when its WAL stream ends or n1's node falls
 * silent, not while both hold, not when it never streamed (a standby starting up), not on a primary; a refused signal
 * is said.
 */
class RepmgrdWakeUpTest {
    static final long PID = 4242;

    static final String N1 = "198.18.0.11";
    WalStream stream = WalStream.streamingFrom(N1);
    /** The hosts whose node answers no probe. */
    final java.util.Set<String> silentHosts = new java.util.HashSet<>();
    OptionalLong pid = OptionalLong.of(PID);
    Optional<String> refusal = Optional.empty();
    final List<Long> signalled = new ArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** What the metrics were told: true for each signal sent, false for each refused. */
    final List<Boolean> counted = new ArrayList<>();
    final RepmgrdWakeUp wakeUp = new RepmgrdWakeUp(() -> stream, silentHosts::contains, () -> pid, (p, name) -> {
        assertThat(name).isEqualTo("repmgrd");
        if (refusal.isEmpty()) {
            signalled.add(p);
        }
        return refusal;
    }, new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n2", PromoteTimeline.NONE),
            new WatchRecorder() {
                @Override
                public void repmgrdWoken(boolean sent) {
                    counted.add(sent);
                }
            });

    @Test
    void theEndOfTheStreamWakesRepmgrdOnce() {
        assertThat(wakeUp.tick()).isFalse();
        stream = WalStream.NOT_STREAMING;
        assertThat(wakeUp.tick()).isTrue();
        assertThat(wakeUp.tick()).isFalse();
        assertThat(wakeUp.tick()).isFalse();
        assertThat(signalled).containsExactly(PID);
        assertThat(counted).containsExactly(true);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"event\":\"repmgrd_woken\"", "\"repmgrd_pid\":4242");
    }

    @Test
    void aStreamThatComesBackAndEndsAgainWakesItAgain() {
        wakeUp.tick();
        stream = WalStream.NOT_STREAMING;
        wakeUp.tick();
        stream = WalStream.streamingFrom(N1);
        assertThat(wakeUp.tick()).isFalse();
        stream = WalStream.NOT_STREAMING;
        assertThat(wakeUp.tick()).isTrue();
        assertThat(signalled).containsExactly(PID, PID);
    }

    @Test
    void aStandbyThatNeverStreamedOrAPrimaryWakesNothing() {
        stream = WalStream.NOT_STREAMING;
        wakeUp.tick();
        wakeUp.tick();
        stream = WalStream.NOT_A_STANDBY;
        wakeUp.tick();
        stream = WalStream.streamingFrom(N1);
        wakeUp.tick();
        stream = WalStream.NOT_A_STANDBY; // promoted: its stream ended, and it has no upstream left to check
        assertThat(wakeUp.tick()).isFalse();
        assertThat(signalled).isEmpty();
    }

    @Test
    void aPrimaryThatFallsSilentWakesItBeforeTheStreamEndsAndOnceForBoth() {
        wakeUp.tick();
        silentHosts.add(N1); // a link down: the stream still looks alive until tcp_user_timeout
        assertThat(wakeUp.tick()).isTrue();
        stream = WalStream.NOT_STREAMING;
        assertThat(wakeUp.tick()).isFalse();
        assertThat(signalled).containsExactly(PID);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("the node it streams from (198.18.0.11) stopped answering");
    }

    @Test
    void anotherNodeFallingSilentWakesNothing() {
        wakeUp.tick();
        silentHosts.add("198.18.0.13"); // the witness
        assertThat(wakeUp.tick()).isFalse();
        assertThat(signalled).isEmpty();
    }

    @Test
    void aPrimaryNeverHeardWakesNothing() {
        silentHosts.add(N1);
        wakeUp.tick();
        stream = WalStream.NOT_STREAMING;
        assertThat(wakeUp.tick()).isFalse();
        assertThat(signalled).isEmpty();
    }

    @Test
    void aLossWakesItAgainOnlyOnceStreamAndPrimaryAreBothBack() {
        wakeUp.tick();
        silentHosts.add(N1);
        wakeUp.tick();
        silentHosts.clear();
        stream = WalStream.NOT_STREAMING; // heard again, stream not yet back: still the same loss
        assertThat(wakeUp.tick()).isFalse();
        stream = WalStream.streamingFrom(N1);
        wakeUp.tick();
        silentHosts.add(N1);
        assertThat(wakeUp.tick()).isTrue();
        assertThat(signalled).containsExactly(PID, PID);
    }

    @Test
    void noRepmgrdNoSignal() {
        pid = OptionalLong.empty();
        wakeUp.tick();
        stream = WalStream.NOT_STREAMING;
        assertThat(wakeUp.tick()).isFalse();
        assertThat(signalled).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aRefusedSignalIsSaid() {
        refusal = Optional.of("process 4242 is postgres, not repmgrd (a stale PID)");
        wakeUp.tick();
        stream = WalStream.NOT_STREAMING;
        assertThat(wakeUp.tick()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"event\":\"repmgrd_wake_failed\"", "a stale PID");
        assertThat(counted).containsExactly(false);
    }

    @Test
    void onlyWithOneReconnectAttemptAtMost() {
        assertThat(RepmgrdWakeUp.whyNot(conf("reconnect_attempts=1\n"))).isEmpty();
        assertThat(RepmgrdWakeUp.whyNot(conf("reconnect_attempts = 0\n"))).isEmpty();
        assertThat(RepmgrdWakeUp.whyNot(conf("reconnect_attempts=2\n"))).get().asString()
                .contains("reconnect_attempts is 2 in /etc/repmgr.conf", "reconnect_attempts=1");
        assertThat(RepmgrdWakeUp.whyNot(conf("node_id=2\n"))).get().asString()
                .contains("reconnect_attempts is 6 (repmgr's default)");
    }

    private static RepmgrConf conf(String text) {
        return RepmgrConf.parse(text, Path.of("/etc/repmgr.conf"));
    }
}
