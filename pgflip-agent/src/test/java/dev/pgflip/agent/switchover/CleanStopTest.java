package dev.pgflip.agent.switchover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.rejoin.PgControlData.CheckpointLocation;
import dev.pgflip.agent.rejoin.ShutdownCue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the switchover may go on while the old primary's stop command still runs: only once pg_controldata confirms
 * "shut down". The stop command is scripted: it writes the control file's state, then waits for the test's release.
 */
class CleanStopTest {
    private static final CheckpointLocation SHUT_DOWN = new CheckpointLocation("shut down", "0/31C85D8");

    @TempDir
    Path data;

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean ended = new AtomicBoolean();

    private void state(int state) {
        try {
            ByteBuffer head = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder()).putInt(8, 1300).putInt(16, state);
            Files.createDirectories(data.resolve("global"));
            Files.write(data.resolve("global/pg_control"), head.array());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code state} to the control file, then ends when the test releases it (or after 10 s, so that code
     * waiting for the command's end fails the assertions instead of hanging).
     */
    private Runnable stopCommand(int state) {
        return () -> {
            state(state);
            try {
                release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ended.set(true);
        };
    }

    @Test
    void theCheckpointComesOnceConfirmedWhileTheStopCommandStillRuns() {
        state(6);
        AtomicInteger controlDataRuns = new AtomicInteger();
        CleanStop stop = CleanStop.begin(stopCommand(1), new ShutdownCue(data), () -> {
            controlDataRuns.incrementAndGet();
            return SHUT_DOWN;
        });

        assertThat(stop.awaitCheckpoint()).isEqualTo(SHUT_DOWN);
        assertThat(ended).as("the stop command is still running").isFalse();
        assertThat(controlDataRuns).as("pg_controldata run once, on the cue").hasValue(1);

        release.countDown();
        stop.awaitStopped();
        assertThat(ended).isTrue();
    }

    @Test
    void aCueThatPgControlDataDoesNotConfirmWaitsForTheCommand() {
        state(6);
        AtomicInteger controlDataRuns = new AtomicInteger();
        CleanStop stop = CleanStop.begin(stopCommand(1), new ShutdownCue(data), () -> {
            if (controlDataRuns.incrementAndGet() == 3) {
                release.countDown(); // the third look: let the command end
            }
            return ended.get() ? SHUT_DOWN : new CheckpointLocation("shutting down", "0/31C8000");
        });

        assertThat(stop.awaitCheckpoint()).isEqualTo(SHUT_DOWN);
        assertThat(ended).as("answered only after the command ended").isTrue();
    }

    @Test
    void anUncleanStopIsReportedAsTheControlFileSaysOnceTheCommandEnded() {
        state(6);
        release.countDown();
        CleanStop stop = CleanStop.begin(stopCommand(6), new ShutdownCue(data),
                () -> new CheckpointLocation("in production", "0/31C8000"));

        assertThat(stop.awaitCheckpoint().clusterState()).isEqualTo("in production");
        assertThat(ended).isTrue();
    }

    @Test
    void aFailedStopCommandIsThrownAndAwaitEndIgnoresIt() {
        PgflipException failure = new PgflipException(ExitCode.PROMOTE_FAILED, "cannot stop n1 cleanly: exit 1");
        CleanStop stop = CleanStop.begin(() -> {
            throw failure;
        }, new ShutdownCue(data), () -> SHUT_DOWN);

        assertThatThrownBy(stop::awaitCheckpoint).isSameAs(failure);
        stop.awaitEnd();
        assertThatThrownBy(stop::awaitStopped).isSameAs(failure);
    }
}
