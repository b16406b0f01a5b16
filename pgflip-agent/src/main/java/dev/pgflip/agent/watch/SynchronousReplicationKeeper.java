package dev.pgflip.agent.watch;

import dev.pgflip.agent.config.ReplicationConfig;
import dev.pgflip.agent.db.SynchronousStandbyNames;
import dev.pgflip.agent.node.Standing;
import dev.pgflip.agent.node.WatchLog;
import dev.pgflip.agent.watch.ReplicationState.Walsender;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The degrade rule of synchronous replication, applied on the primary. While a standby the setting names streams,
 * the configured names are in force and every acknowledged commit is on two nodes; when none has streamed for
 * {@code degrade_after} the names are emptied so commits stop waiting for a standby that is not there (they would
 * otherwise block forever); right after a promotion it is emptied at once, because the old primary, the only
 * possible standby, is the node that just failed; on a standby it is kept empty, so that a promotion needs no such look
 * first. Restored as soon as a named standby streams again.
 *
 * <p>A degrade lets commits be acknowledged on this node alone, so before it the standbys are marked ineligible for
 * promotion on the witness ({@link PromotionClaims}): a standby that missed those commits can then not be promoted
 * behind this node's back (issue 13: a partition between the data nodes alone promoted n2 while n1, degraded, kept
 * acknowledging). A standby is marked eligible again once it streams with synchronous replication on and has flushed
 * everything this node wrote before that. No mark, no degrade: commits keep waiting.
 *
 * <p>Only walsenders the setting names count: a {@code pg_receivewal}, {@code pg_basebackup -X stream} or logical
 * consumer streams too, but can never acknowledge a commit, so counting it restored the names with no eligible
 * standby and every commit blocked (hole 4). Runs on its own schedule ({@link PeriodicLook}), reading the local
 * role itself, so a watcher busy with a slow API call never delays a degrade or a restore (hole 5).
 */
public final class SynchronousReplicationKeeper {
    private final ReplicationConfig config;
    private final SynchronousStandbyNames eligibleNames;
    private final PrimarySettings primary;
    private final PromotionLedger ledger;
    private final WatchLog log;
    private final Supplier<Standing> standing;
    private long noStandbySinceNanos = -1;
    /** Unknown until the first look: a keeper started on a primary has seen no promotion. */
    private Boolean lastInRecovery;
    /** Set by a promotion until its degrade has been applied, so one failed attempt is retried at the next look. */
    private boolean promotionPending;
    /** WAL position from which every acknowledged commit waited for a named standby; -1 while degraded. */
    private long synchronousSinceLsn = -1;
    private final Set<String> markedEligible = new HashSet<>();
    /** Set by a promotion until the witness has recorded it (retried at every look). */
    private boolean ownClaimPending;
    /**
     * Whether this node's own claim may still be in flight on the witness, to be asked at the next look as a primary:
     * from the start (a watch started on a primary has seen no promotion), and again after PostgreSQL could not be read.
     * A promotion seen while watched records the claim instead ({@link #recordPromotion}).
     */
    private boolean staleClaimCheckPending = true;
    private String lastHeld = "";
    private long nextDegradeAttemptNanos;
    private boolean degradeDeferred;
    private static final java.time.Duration HOLD_RETRY = java.time.Duration.ofSeconds(1);

    public SynchronousReplicationKeeper(ReplicationConfig config, PrimarySettings primary, WatchLog log) {
        this(config, primary, PromotionLedger.NONE, log, () -> new Standing.Sole("no guard"));
    }

    /**
     * @param standing asked only when a degrade is due, after the marks: the degrade is allowed only while this node
     *     is provably the only primary ({@link Standing#isSole()})
     */
    public SynchronousReplicationKeeper(ReplicationConfig config, PrimarySettings primary, PromotionLedger ledger,
            WatchLog log, Supplier<Standing> standing) {
        this.config = config;
        this.eligibleNames = SynchronousStandbyNames.parse(config.synchronousStandbyNames());
        this.primary = primary;
        this.ledger = ledger;
        this.log = log;
        this.standing = standing;
    }

    /** One look at the local node: acts only while it is primary. */
    public void tick(long nowNanos) {
        ReplicationState state;
        try {
            state = primary.read();
        } catch (RuntimeException e) {
            // PostgreSQL stopped under this watch: it may have been promoted and stopped before its promotion was
            // recorded, and come back as that primary; the next look as a primary asks the witness.
            staleClaimCheckPending = true;
            throw e;
        }
        boolean promotedNow = Boolean.TRUE.equals(lastInRecovery) && !state.inRecovery();
        lastInRecovery = state.inRecovery();
        if (state.inRecovery()) {
            noStandbySinceNanos = -1;
            promotionPending = false;
            synchronousSinceLsn = -1;
            markedEligible.clear();
            clearOnStandby(state);
            return;
        }
        promotionPending |= promotedNow;
        ownClaimPending |= promotedNow;
        try {
            onPrimary(state, nowNanos);
        } finally {
            if (ownClaimPending) {
                recordPromotion(state.timeline()); // after the degrade: writes wait for that one, not for this
            } else if (staleClaimCheckPending) {
                completeStaleClaim(state.timeline());
            }
        }
    }

    /**
     * Found a primary at start, or after its PostgreSQL could not be read: a claim of its own may still be in flight
     * on the witness, from a promotion that was not recorded because the node stopped right after it (seen in the
     * drill: the new primary killed 1 s after its promotion, started again as the primary later; its claim then fenced
     * the next node promoted, and the cluster was left without a primary). Recorded as done, once.
     */
    private void completeStaleClaim(long timeline) {
        try {
            if (ledger.completeOwnClaim(timeline)) {
                log.record("promotion_claim_completed", Map.of("timeline", timeline, "reason", "this node runs as a"
                        + " primary but its promotion claim was still in flight on the witness (promoted, then stopped"
                        + " before the promotion was recorded): recorded as done, so it fences no later primary"));
            }
            staleClaimCheckPending = false;
        } catch (IllegalStateException e) {
            log.record("sync_error", Map.of("error", "at start as a primary: " + e.getMessage()));
        }
    }

    private void onPrimary(ReplicationState state, long nowNanos) {
        List<Walsender> named = state.streaming().stream().filter(w -> eligibleNames.includes(w.name())).toList();
        if (!named.isEmpty()) {
            keepSynchronous(state, named);
            return;
        }
        if (noStandbySinceNanos < 0) {
            noStandbySinceNanos = nowNanos;
        }
        if (state.synchronousStandbyNames().isEmpty()) {
            if (promotionPending) {
                markAfterPromotion(state.currentLsn()); // emptied while a standby: its commits never waited
            }
            promotionPending = false;
            synchronousSinceLsn = -1;
            return;
        }
        if (promotionPending) {
            primary.setSynchronousStandbyNames("");
            promotionPending = false;
            synchronousSinceLsn = -1;
            log.record("sync_degraded", Map.of("reason", "promoted: no standby can exist yet",
                    "was", state.synchronousStandbyNames()));
            markAfterPromotion(state.currentLsn());
            return;
        }
        if (nowNanos - noStandbySinceNanos >= config.degradeAfter().toNanos() 
                && (!degradeDeferred || nowNanos - nextDegradeAttemptNanos >= 0)) {
            degradeDeferred = !degradeIfSafe(state);
            if (degradeDeferred) {
                // Held: the witness and the peers are asked again in a second, not at every look (each ask costs
                // connections, and forks on the peers).
                nextDegradeAttemptNanos = nowNanos + HOLD_RETRY.toNanos();
            }
        }
    }

    private void keepSynchronous(ReplicationState state, List<Walsender> named) {
        noStandbySinceNanos = -1;
        degradeDeferred = false;
        promotionPending = false;
        String wanted = config.synchronousStandbyNames();
        if (!state.synchronousStandbyNames().equals(wanted)) {
            primary.setSynchronousStandbyNames(wanted);
            synchronousSinceLsn = state.currentLsn();
            log.record("sync_enabled", Map.of("synchronous_standby_names", wanted, "streaming_standbys", named.size()));
            return;
        }
        if (synchronousSinceLsn < 0) {
            synchronousSinceLsn = state.currentLsn(); // found on at start: from here on, every commit waited
        }
        for (Walsender standby : named) {
            if (standby.flushLsn() >= synchronousSinceLsn && !markedEligible.contains(standby.name())) {
                // Everything acknowledged alone before synchronous replication came back is now on this standby.
                ledger.markEligible(standby.name(), "streams with synchronous replication on and has caught up");
                markedEligible.add(standby.name());
                log.record("standby_eligible", Map.of("standby", standby.name()));
            }
        }
    }

    private void recordPromotion(long timeline) {
        try {
            ledger.recordPromotion(timeline).ifPresent(from -> log.record("possible_data_loss", Map.of(
                    "reason", "this node was promoted although the witness held it ineligible: the old primary"
                            + " acknowledged commits alone from WAL position " + lsnText(from) + " on, which this node"
                            + " never received (a promotion by hand, past the promote wrapper)",
                    "acknowledged_alone_from", lsnText(from), "timeline", timeline)));
            ownClaimPending = false;
            staleClaimCheckPending = false;
        } catch (IllegalStateException e) {
            log.record("sync_error", Map.of("error", "after the promotion: " + e.getMessage()));
        }
    }

    /**
     * A standby carries its primary's setting after a clone or a rejoin (pg_basebackup and pg_rewind copy
     * postgresql.auto.conf). Promoted with it, the node made its first commits wait for a standby that cannot exist
     * yet, until this keeper's first look as a primary emptied it (seen on the lab: about 0.2 s of a switchover's write
     * pause, the reload included). On a standby the setting has no effect, so it is emptied there: the promotion then
     * starts with what that look would set, and a failed attempt leaves that look to do it.
     */
    private void clearOnStandby(ReplicationState state) {
        if (!state.synchronousStandbyNames().isEmpty()) {
            primary.setSynchronousStandbyNames("");
            log.record("sync_cleared", Map.of("reason", "a standby: its promotion must not make commits wait for a"
                    + " standby that cannot exist yet", "was", state.synchronousStandbyNames()));
        }
    }

    /**
     * After the degrade, not before it (writes wait for it): any standby still registered (one that followed this node
     * before an isolation fence was lifted by promoting it again) missed what is now acknowledged here alone. Best
     * effort: the old primary of a failover is inactive in repmgr, so usually there is none.
     */
    private void markAfterPromotion(long currentLsn) {
        try {
            List<String> standbys = ledger.otherDataNodes();
            if (!standbys.isEmpty()) {
                ledger.markIneligible(standbys, "its upstream was promoted while it did not stream", currentLsn);
                markedEligible.removeAll(standbys);
            }
        } catch (IllegalStateException e) {
            log.record("sync_error", Map.of("error", "after the promotion: " + e.getMessage()));
        }
    }

    /** PostgreSQL's own notation of a WAL position, e.g. 0/3000060. */
    static String lsnText(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
                + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
    }

    /** @return whether it degraded */
    private boolean degradeIfSafe(ReplicationState state) {
        List<String> standbys = ledger.otherDataNodes();
        try {
            List<String> claimed = ledger.markIneligible(standbys, "synchronous replication degraded: no named standby"
                    + " streamed for " + config.degradeAfter().toMillis() + "ms", state.currentLsn());
            if (!claimed.isEmpty()) {
                hold("the promotion of " + String.join(", ", claimed) + " is claimed on the witness", state);
                return false;
            }
        } catch (IllegalStateException e) {
            hold("cannot mark the standbys ineligible on the witness: " + e.getMessage(), state);
            return false;
        }
        markedEligible.removeAll(standbys);
        Standing now = standing.get();
        if (!now.isSole()) {
            hold(now instanceof Standing.Outranked o ? "another primary: " + o.by().name()
                    : ((Standing.Unproven) now).why(), state);
            return false;
        }
        primary.setSynchronousStandbyNames("");
        synchronousSinceLsn = -1;
        lastHeld = "";
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("reason", "no named standby streaming for " + config.degradeAfter().toMillis() + "ms");
        facts.put("was", state.synchronousStandbyNames());
        facts.put("proof", ((Standing.Sole) now).how());
        facts.put("ineligible", String.join(",", standbys));
        if (!state.streaming().isEmpty()) {
            facts.put("ignored_streams", String.join(",", state.streaming().stream().map(Walsender::name).toList()));
        }
        log.record("sync_degraded", facts);
        return true;
    }

    /** Commits keep waiting: said once per reason, not every look. */
    private void hold(String reason, ReplicationState state) {
        if (!reason.equals(lastHeld)) {
            log.record("sync_held", Map.of("reason", "not degrading: " + reason, "synchronous_standby_names",
                    state.synchronousStandbyNames()));
            lastHeld = reason;
        }
    }
}
