package dev.pgflip.agent.repmgrd;

import dev.pgflip.agent.node.WatchRecorder;
import java.util.function.Supplier;

/** Passes each read of repmgrd's state on, and tells the watch's recorder (its metrics) what it showed. */
public final class RecordingRepmgrdSight implements Supplier<RepmgrdSight> {
    private final Supplier<RepmgrdSight> sight;
    private final WatchRecorder recorder;

    public RecordingRepmgrdSight(Supplier<RepmgrdSight> sight, WatchRecorder recorder) {
        this.sight = sight;
        this.recorder = recorder;
    }

    @Override
    public RepmgrdSight get() {
        RepmgrdSight now;
        try {
            now = sight.get();
        } catch (RuntimeException e) {
            recorder.repmgrdNotJudged(); // a stale "running" would hide a PostgreSQL that is down
            throw e;
        }
        if (now.inRecovery()) {
            recorder.standbyRepmgrdSeen(now.repmgrdRunning(), now.upstreamLastSeenSeconds());
        } else {
            recorder.repmgrdNotJudged();
        }
        return now;
    }
}
