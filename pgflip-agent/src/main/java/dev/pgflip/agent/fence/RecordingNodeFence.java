package dev.pgflip.agent.fence;

import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.node.WatchRecorder;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fence as {@link SelfFencing} sees it, told to a {@link WatchRecorder}: the record is read at every probe period
 * (whatever the node's role), so the recorder learns of a fence put up or removed by another process
 * ({@code pgflip rejoin}) as well as of this agent's own.
 */
final class RecordingNodeFence implements NodeFence {
    private final NodeFence fence;
    private final WatchRecorder recorder;

    RecordingNodeFence(NodeFence fence, WatchRecorder recorder) {
        this.fence = fence;
        this.recorder = recorder;
    }

    @Override
    public Optional<FenceState> current() {
        Optional<FenceState> state = fence.current();
        recorder.fenceSeen(state.map(FenceState::kind));
        return state;
    }

    @Override
    public void fence(FenceState state, Runnable writesRefused) {
        fence.fence(state, () -> {
            recorder.fenceSeen(Optional.of(state.kind()));
            writesRefused.run();
        });
    }

    @Override
    public void lift() {
        fence.lift();
        recorder.fenceSeen(Optional.empty());
    }

    @Override
    public void discard() {
        fence.discard();
        recorder.fenceSeen(Optional.empty());
    }

    @Override
    public OptionalLong localTimeline() {
        return fence.localTimeline();
    }
}
