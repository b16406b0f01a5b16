package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fence's restart and pgflip rejoin never stop or start the node's PostgreSQL at the same time. */
class RestartLockTest {
    @TempDir
    Path dir;

    @Test
    void whileOneHoldsTheLockTheOtherGetsNothingAndGetsItOnceReleased() throws Exception {
        RestartLock lock = RestartLock.besideFenceRecord(dir.resolve("fence.state"));
        assertThat(lock.file()).isEqualTo(dir.resolve("restart.lock"));

        Optional<RestartLock.Held> rejoin = lock.tryAcquire();
        assertThat(rejoin).as("the first comer holds it").isPresent();
        assertThat(lock.tryAcquire()).as("the fence's restart while a rejoin runs").isEmpty();
        assertThat(new RestartLock(dir.resolve("restart.lock")).acquire(Duration.ofMillis(300)))
                .as("waiting, bounded, for a holder that does not let go").isEmpty();

        rejoin.get().close();
        Optional<RestartLock.Held> fence = lock.acquire(Duration.ofSeconds(5));
        assertThat(fence).as("released: the next one gets it").isPresent();
        fence.get().close();
    }

    @Test
    void aWaitingRejoinGetsTheLockWhenTheFenceRestartEnds() throws Exception {
        RestartLock lock = RestartLock.besideFenceRecord(dir.resolve("fence.state"));
        RestartLock.Held fence = lock.tryAcquire().orElseThrow();
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fence.close();
        });
        release.start();
        Optional<RestartLock.Held> rejoin = lock.acquire(Duration.ofSeconds(30));
        assertThat(rejoin).isPresent();
        rejoin.get().close();
        release.join();
    }
}
