package dev.pgflip.agent.watch;

import dev.pgflip.agent.config.ReplicationConfig;
import dev.pgflip.agent.db.SynchronousStandbyNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The degrade rule of synchronous replication, applied on the primary. While a standby the setting names streams,
 * the configured names are in force and every acknowledged commit is on two nodes; when none has streamed for
 * {@code degrade_after} the names are emptied so commits stop waiting for a standby that is not there (they would
 * otherwise block forever); right after a promotion it is emptied at once, because the old primary, the only
 * possible standby, is the node that just failed. Restored as soon as a named standby streams again.
 *
 * <p>Only walsenders the setting names count: a {@code pg_receivewal}, {@code pg_basebackup -X stream} or logical
 * consumer streams too, but can never acknowledge a commit, so counting it restored the names with no eligible
 * standby and every commit blocked (issue 13, hole 4).
 *
 * <p>Runs on its own schedule ({@link ReplicationKeeping}), reading the local role itself, so a watcher busy with a
 * slow API call never delays a degrade or a restore (hole 5).
 */
public final class SynchronousReplicationKeeper {
    private final ReplicationConfig config;
    private final SynchronousStandbyNames eligible;
    private final PrimarySettings primary;
    private final WatchLog log;
    private final Supplier<Standing> standing;
    private long noStandbySinceNanos = -1;
    /** Unknown until the first look: a keeper started on a primary has seen no promotion. */
    private Boolean lastInRecovery;
    /** Set by a promotion until its degrade has been applied, so one failed attempt is retried at the next look. */
    private boolean promotionPending;
    private String lastHeld = "";

    public SynchronousReplicationKeeper(ReplicationConfig config, PrimarySettings primary, WatchLog log) {
        this(config, primary, log, () -> new Standing.Sole("no guard"));
    }

    /**
     * @param standing asked only when a degrade is due: a degrade lets commits be acknowledged on this node alone,
     *     so it is allowed only while this node is provably the only primary ({@link Standing#isSole()}); otherwise
     *     commits keep waiting (they would be acknowledged here alone and lost) until the fence ends those sessions
     */
    public SynchronousReplicationKeeper(ReplicationConfig config, PrimarySettings primary, WatchLog log,
            Supplier<Standing> standing) {
        this.config = config;
        this.eligible = SynchronousStandbyNames.parse(config.synchronousStandbyNames());
        this.primary = primary;
        this.log = log;
        this.standing = standing;
    }

    /** One look at the local node: acts only while it is primary. */
    public void tick(long nowNanos) {
        ReplicationState state = primary.read();
        boolean promotedNow = Boolean.TRUE.equals(lastInRecovery) && !state.inRecovery();
        lastInRecovery = state.inRecovery();
        if (state.inRecovery()) {
            noStandbySinceNanos = -1;
            promotionPending = false;
            return;
        }
        onPrimary(state, promotedNow, nowNanos);
    }

    private void onPrimary(ReplicationState state, boolean promotedNow, long nowNanos) {
        promotionPending |= promotedNow;
        String wanted = config.synchronousStandbyNames();
        long named = state.streaming().stream().filter(eligible::includes).count();
        if (named > 0) {
            noStandbySinceNanos = -1;
            promotionPending = false;
            if (!state.synchronousStandbyNames().equals(wanted)) {
                primary.setSynchronousStandbyNames(wanted);
                log.record("sync_enabled", Map.of("synchronous_standby_names", wanted, "streaming_standbys", named));
            }
            return;
        }
        if (noStandbySinceNanos < 0) {
            noStandbySinceNanos = nowNanos;
        }
        if (state.synchronousStandbyNames().isEmpty()) {
            promotionPending = false;
            return;
        }
        if (promotionPending) {
            primary.setSynchronousStandbyNames("");
            promotionPending = false;
            log.record("sync_degraded", Map.of("reason", "promoted: no standby can exist yet",
                    "was", state.synchronousStandbyNames()));
            return;
        }
        if (nowNanos - noStandbySinceNanos < config.degradeAfter().toNanos()) {
            return;
        }
        Standing now = standing.get();
        if (!now.isSole()) {
            holdWhile(now, state);
            return;
        }
        primary.setSynchronousStandbyNames("");
        lastHeld = "";
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("reason", "no named standby streaming for " + config.degradeAfter().toMillis() + "ms");
        facts.put("was", state.synchronousStandbyNames());
        facts.put("proof", ((Standing.Sole) now).how());
        if (!state.streaming().isEmpty()) {
            facts.put("ignored_streams", String.join(",", state.streaming()));
        }
        log.record("sync_degraded", facts);
    }

    /** Commits keep waiting: said once per reason, not every look. */
    private void holdWhile(Standing why, ReplicationState state) {
        String reason = why instanceof Standing.Outranked o ? "another primary: " + o.by().name()
                : ((Standing.Unproven) why).why();
        if (!reason.equals(lastHeld)) {
            log.record("sync_held", Map.of("reason", "not degrading: " + reason, "synchronous_standby_names",
                    state.synchronousStandbyNames()));
            lastHeld = reason;
        }
    }
}
