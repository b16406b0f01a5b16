package dev.pgflip.agent.repmgrd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgflip.agent.node.WatchRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RecordingRepmgrdSightTest {
    final List<String> recorded = new ArrayList<>();
    final WatchRecorder recorder = new WatchRecorder() {
        @Override
        public void standbyRepmgrdSeen(boolean running, int upstreamLastSeenSeconds) {
            recorded.add("standby running=" + running + " last_seen=" + upstreamLastSeenSeconds);
        }

        @Override
        public void repmgrdNotJudged() {
            recorded.add("not judged");
        }
    };

    @Test
    void aStandbysReadIsRecordedAndPassedOnUnchanged() {
        RepmgrdSight standby = new RepmgrdSight(true, false, 42, OptionalInt.of(1), Optional.empty());
        assertThat(new RecordingRepmgrdSight(() -> standby, recorder).get()).isSameAs(standby);
        assertThat(recorded).containsExactly("standby running=false last_seen=42");
    }

    @Test
    void aPrimaryIsNotJudged() {
        RepmgrdSight primary = new RepmgrdSight(false, false, RepmgrdSight.NEVER_SEEN, OptionalInt.empty(),
                Optional.empty());
        new RecordingRepmgrdSight(() -> primary, recorder).get();
        assertThat(recorded).containsExactly("not judged");
    }

    /** PostgreSQL down or restarting: the last "running" must not stay on the dashboard as if it were still true. */
    @Test
    void aFailedReadClearsWhatWasRecordedAndStillFails() {
        RecordingRepmgrdSight sight = new RecordingRepmgrdSight(() -> {
            throw new IllegalStateException("cannot read repmgrd's upstream_last_seen on this node");
        }, recorder);
        assertThatThrownBy(sight::get).isInstanceOf(IllegalStateException.class);
        assertThat(recorded).containsExactly("not judged");
    }
}
