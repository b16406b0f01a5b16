package dev.pgflip.agent.watch;

import dev.pgflip.agent.config.ReplicationConfig;
import java.util.Map;

/**
 * The degrade rule of synchronous replication, applied by the primary's watcher. With two data nodes, "synchronous"
 * can only mean "the other node has it": while a standby streams the configured names are in force and every
 * acknowledged commit is on both; when none has streamed for {@code degrade_after} the names are emptied so commits
 * stop waiting for a standby that is not there (they would otherwise block forever); right after a promotion it is
 * emptied at once, because the old primary, the only possible standby, is the node that just failed. Restored as
 * soon as a standby streams again.
 */
public final class SynchronousReplicationKeeper {
    private final ReplicationConfig config;
    private final PrimarySettings primary;
    private final WatchLog log;
    private final java.util.function.BooleanSupplier inTouchWithCluster;
    private long noStandbySinceNanos = -1;
    /** Set by a promotion until its degrade has been applied, so one failed attempt is retried at the next tick. */
    private boolean promotionPending;

    public SynchronousReplicationKeeper(ReplicationConfig config, PrimarySettings primary, WatchLog log) {
        this(config, primary, log, () -> true);
    }

    /**
     * @param inTouchWithCluster whether a degrade is safe: some peer (the witness) still answers, since a primary cut
     *     off from everyone cannot tell a dead standby from one being promoted, and no peer is primary on a newer
     *     timeline; otherwise commits keep waiting (they would be acknowledged on this node alone and lost) until the
     *     fence ends those sessions
     */
    public SynchronousReplicationKeeper(ReplicationConfig config, PrimarySettings primary, WatchLog log,
            java.util.function.BooleanSupplier inTouchWithCluster) {
        this.config = config;
        this.primary = primary;
        this.log = log;
        this.inTouchWithCluster = inTouchWithCluster;
    }

    public void onPrimary(boolean promotedNow, long nowNanos) {
        promotionPending |= promotedNow;
        ReplicationState state = primary.read();
        String wanted = config.synchronousStandbyNames();
        if (state.streamingStandbys() > 0) {
            noStandbySinceNanos = -1;
            if (!state.synchronousStandbyNames().equals(wanted)) {
                primary.setSynchronousStandbyNames(wanted);
                log.record("sync_enabled", Map.of("synchronous_standby_names", wanted,
                        "streaming_standbys", state.streamingStandbys()));
            }
            return;
        }
        if (noStandbySinceNanos < 0) {
            noStandbySinceNanos = nowNanos;
        }
        boolean promoted = promotionPending;
        promotionPending = false;
        if (state.synchronousStandbyNames().isEmpty()) {
            return;
        }
        // Asked only when a degrade is due (it may cost peer round trips), never right after our own promotion.
        boolean waitedEnough = !promoted && nowNanos - noStandbySinceNanos >= config.degradeAfter().toNanos()
                && inTouchWithCluster.getAsBoolean();
        if (promoted || waitedEnough) {
            promotionPending = promoted;
            primary.setSynchronousStandbyNames("");
            promotionPending = false;
            log.record("sync_degraded", Map.of("reason", promoted ? "promoted: no standby can exist yet"
                    : "no standby streaming for " + config.degradeAfter().toMillis() + "ms",
                    "was", state.synchronousStandbyNames()));
        }
    }

    /** Reset when this node stops being primary, so a later promotion starts clean. */
    public void onNotPrimary() {
        noStandbySinceNanos = -1;
        promotionPending = false;
    }
}
