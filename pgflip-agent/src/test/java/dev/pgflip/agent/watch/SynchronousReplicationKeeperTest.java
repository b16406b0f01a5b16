package dev.pgflip.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.config.ReplicationConfig;
import dev.pgflip.agent.event.PromoteTimeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SynchronousReplicationKeeperTest {
    private static final String WANTED = "ANY 1 (n1, n2)";
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final FakePrimary primary = new FakePrimary();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final SynchronousReplicationKeeper keeper = new SynchronousReplicationKeeper(
            new ReplicationConfig(WANTED, Duration.ofSeconds(1)), primary,
            new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1", PromoteTimeline.NONE));

    @Test
    void aStreamingStandbyTurnsSynchronousReplicationOn() {
        primary.streaming = 1;
        keeper.onPrimary(false, 0);
        keeper.onPrimary(false, 1);
        assertThat(primary.changes).containsExactly(WANTED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("sync_enabled");
    }

    @Test
    void losingTheStandbyDegradesOnlyAfterTheGracePeriod() {
        primary.setting = WANTED;
        primary.streaming = 0;
        keeper.onPrimary(false, 0);
        keeper.onPrimary(false, SECOND / 2);
        assertThat(primary.changes).isEmpty();
        keeper.onPrimary(false, SECOND);
        assertThat(primary.changes).containsExactly("");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("sync_degraded").contains("no standby streaming for 1000ms");
    }

    @Test
    void aFreshlyPromotedPrimaryDegradesAtOnce() {
        primary.setting = WANTED;
        keeper.onPrimary(true, 0);
        assertThat(primary.changes).containsExactly("");
    }

    @Test
    void theStandbyComingBackRestoresItAndAStandbyThatFlapsRestartsTheGrace() {
        primary.setting = "";
        primary.streaming = 0;
        keeper.onPrimary(false, 0);
        primary.streaming = 1;
        keeper.onPrimary(false, SECOND / 2);
        primary.streaming = 0;
        keeper.onPrimary(false, SECOND);
        keeper.onPrimary(false, SECOND + SECOND / 2);
        assertThat(primary.changes).containsExactly(WANTED);
        keeper.onPrimary(false, 2 * SECOND);
        assertThat(primary.changes).containsExactly(WANTED, "");
    }

    @Test
    void aPrimaryCutOffFromEveryPeerKeepsWaitingInsteadOfDegrading() {
        boolean[] inTouch = {false};
        SynchronousReplicationKeeper isolated = new SynchronousReplicationKeeper(
                new ReplicationConfig(WANTED, Duration.ofSeconds(1)), primary,
                new WatchLog(new PrintStream(out, true, StandardCharsets.UTF_8), "n1", PromoteTimeline.NONE),
                () -> inTouch[0]);
        primary.setting = WANTED;
        isolated.onPrimary(false, 0);
        isolated.onPrimary(false, 5 * SECOND);
        assertThat(primary.changes).as("the unseen standby may be the one being promoted").isEmpty();
        inTouch[0] = true;
        isolated.onPrimary(false, 6 * SECOND);
        assertThat(primary.changes).as("the witness answers: the standby is really gone").containsExactly("");
    }

    @Test
    void aDegradeThatFailsRightAfterThePromotionIsRetriedAtTheNextTickWithoutTheGrace() {
        primary.setting = WANTED;
        primary.failReads = 1;
        try {
            keeper.onPrimary(true, 0);
        } catch (IllegalStateException expected) {
            // the watcher logs it and ticks again
        }
        keeper.onPrimary(false, SECOND / 10);
        assertThat(primary.changes).containsExactly("");
    }

    private static final class FakePrimary implements PrimarySettings {
        String setting = "";
        int streaming;
        int failReads;
        final List<String> changes = new ArrayList<>();

        @Override
        public ReplicationState read() {
            if (failReads > 0) {
                failReads--;
                throw new IllegalStateException("cannot read the replication state: I/O error");
            }
            return new ReplicationState(setting, streaming);
        }

        @Override
        public void setSynchronousStandbyNames(String value) {
            setting = value;
            changes.add(value);
        }
    }
}
