package dev.pgflip.agent.fence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.node.WatchRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RecordingNodeFenceTest {
    private final List<String> told = new ArrayList<>();
    private final List<String> done = new ArrayList<>();
    private Optional<FenceState> record = Optional.empty();

    private final NodeFence recording = new RecordingNodeFence(new NodeFence() {
        @Override
        public Optional<FenceState> current() {
            return record;
        }

        @Override
        public void fence(FenceState state, Runnable writesRefused) {
            done.add("fence");
            writesRefused.run();
            done.add("restarted for reads");
        }

        @Override
        public void lift() {
            done.add("lift");
        }

        @Override
        public void discard() {
            done.add("discard");
        }

        @Override
        public OptionalLong localTimeline() {
            return OptionalLong.of(3);
        }
    }, new WatchRecorder() {
        @Override
        public void fenceSeen(Optional<FenceState.Kind> fence) {
            told.add(fence.map(Enum::name).orElse("none"));
            done.add("told");
        }
    });

    @Test
    void everyReadOfTheRecordIsTold() {
        assertThat(recording.current()).isEmpty();
        record = FenceState.parse("outranked: n1 is primary on timeline 4; run pgflip rejoin on this node");
        assertThat(recording.current()).isEqualTo(record);
        assertThat(told).containsExactly("none", "OUTRANKED");
    }

    @Test
    void aFenceIsToldTheMomentWritesAreRefusedAndALiftOrDiscardOnceDone() {
        recording.fence(FenceState.isolated(1200), () -> done.add("writes refused"));
        recording.lift();
        recording.discard();
        assertThat(told).containsExactly("ISOLATED", "none", "none");
        assertThat(done).containsExactly("fence", "told", "writes refused", "restarted for reads", "lift", "told",
                "discard", "told");
        assertThat(recording.localTimeline()).hasValue(3);
    }
}
