package dev.pgflip.agent.watch;

import dev.pgflip.agent.node.SyncState;
import dev.pgflip.agent.node.WatchRecorder;

/**
 * The keeper's {@link PrimarySettings}, telling a {@link WatchRecorder} the synchronous state every time it is read
 * or changed: the keeper itself stays as it is.
 */
public final class RecordingPrimarySettings implements PrimarySettings {
    private final PrimarySettings settings;
    private final WatchRecorder recorder;

    public RecordingPrimarySettings(PrimarySettings settings, WatchRecorder recorder) {
        this.settings = settings;
        this.recorder = recorder;
    }

    @Override
    public ReplicationState read() {
        ReplicationState state = settings.read();
        recorder.syncSeen(state.inRecovery() ? SyncState.NONE : SyncState.of(state.synchronousStandbyNames()));
        return state;
    }

    @Override
    public void setSynchronousStandbyNames(String value) {
        settings.setSynchronousStandbyNames(value);
        recorder.syncSeen(SyncState.of(value));
    }

    @Override
    public void close() {
        settings.close();
    }
}
