package dev.pgflip.agent.watch;

import dev.pgflip.agent.promote.FlipTarget;
import dev.pgflip.agent.promote.NodeRole;
import dev.pgflip.agent.promote.NodeRoleProbe;
import dev.pgflip.agent.provider.AssignResult;
import dev.pgflip.agent.provider.FlipStatus;
import dev.pgflip.agent.time.Deadline;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * {@code pgflip watch}: reconciles the floating IP with the local node's role. The role is read every
 * {@code interval} (one query on a kept connection); the API only while this node is primary, every
 * {@code reconcileEvery} (well inside DigitalOcean's 5,000 requests an hour), and at once when this node turns
 * primary, so a warm process moves the IP without waiting for the promote hook's JVM to start. It complements the
 * promote hook: whichever asks second finds the IP already moving or moved and does nothing.
 */
public final class FlipWatcher {
    private final String node;
    private final NodeRoleProbe probe;
    private final FlipTarget target;
    private final PrimaryGuard guard;
    private final WatchLog log;
    private final Duration reconcileEvery;
    private final Duration assignBudget;
    private final LongSupplier nanoClock;
    private final Optional<SynchronousReplicationKeeper> replication;
    private final Optional<dev.pgflip.agent.fence.SelfFencing> fencing;

    private NodeRole lastRole;
    private long nextReconcileNanos;
    private Optional<String> lastRefusal = Optional.empty();

    public FlipWatcher(String node, NodeRoleProbe probe, FlipTarget target, PrimaryGuard guard, WatchLog log,
            Duration reconcileEvery, Duration assignBudget, LongSupplier nanoClock) {
        this(node, probe, target, guard, log, reconcileEvery, assignBudget, nanoClock, Optional.empty());
    }

    public FlipWatcher(String node, NodeRoleProbe probe, FlipTarget target, PrimaryGuard guard, WatchLog log,
            Duration reconcileEvery, Duration assignBudget, LongSupplier nanoClock,
            Optional<SynchronousReplicationKeeper> replication) {
        this(node, probe, target, guard, log, reconcileEvery, assignBudget, nanoClock, replication, Optional.empty());
    }

    public FlipWatcher(String node, NodeRoleProbe probe, FlipTarget target, PrimaryGuard guard, WatchLog log,
            Duration reconcileEvery, Duration assignBudget, LongSupplier nanoClock,
            Optional<SynchronousReplicationKeeper> replication, Optional<dev.pgflip.agent.fence.SelfFencing> fencing) {
        this.replication = replication;
        this.fencing = fencing;
        this.node = node;
        this.probe = probe;
        this.target = target;
        this.guard = guard;
        this.log = log;
        this.reconcileEvery = reconcileEvery;
        this.assignBudget = assignBudget;
        this.nanoClock = nanoClock;
        this.nextReconcileNanos = nanoClock.getAsLong();
    }

    /** One look at the role and, when due, at the IP. Never throws: a watcher that dies fixes nothing. */
    public void tick() {
        NodeRole role = probe.probe();
        boolean promotedNow = lastRole == NodeRole.STANDBY && role == NodeRole.PRIMARY;
        if (role != lastRole) {
            log.record("role_changed", Map.of("from", String.valueOf(lastRole), "to", role.name()));
            lastRole = role;
        }
        NodeRole seen = role;
        fencing.ifPresent(f -> f.roleSeen(seen));
        if (role != NodeRole.PRIMARY) {
            replication.ifPresent(SynchronousReplicationKeeper::onNotPrimary);
            return;
        }
        long now = nanoClock.getAsLong();
        CompletableFuture<Void> keeping = keepReplication(promotedNow, now);
        try {
            reconcile(promotedNow, now);
        } finally {
            awaitKeeping(keeping);
        }
    }

    /**
     * Runs the keeper inline, except right after a promotion: then its degrade runs beside the IP's move. The move
     * waits for the API's action (250 ms on the lab's emulator, seconds on DigitalOcean) while the degrade is a round
     * trip or two, so it lands first; a write arriving through the IP before the reload merely waits for it. In turn
     * the degrade had held up the move by 120-380 ms (measured on the lab).
     */
    private CompletableFuture<Void> keepReplication(boolean promotedNow, long now) {
        if (replication.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Runnable keep = () -> {
            try {
                replication.get().onPrimary(promotedNow, now);
            } catch (RuntimeException e) {
                log.record("sync_error", Map.of("error", String.valueOf(e.getMessage())));
            }
        };
        if (!promotedNow) {
            keep.run();
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(keep, task -> {
            Thread thread = new Thread(task, "pgflip-watch-sync-degrade");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** The next tick must not find the keeper still busy on its connection: bounded like an assign. */
    private void awaitKeeping(CompletableFuture<Void> keeping) {
        try {
            keeping.get(assignBudget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.record("sync_error", Map.of("error", "the degrade after the promotion did not finish in "
                    + assignBudget.toMillis() + " ms"));
        }
    }

    private void reconcile(boolean promotedNow, long now) {
        if (!promotedNow && now - nextReconcileNanos < 0) {
            return;
        }
        nextReconcileNanos = now + reconcileEvery.toNanos();
        try {
            if (fencing.map(dev.pgflip.agent.fence.SelfFencing::fenced).orElse(false)) {
                // A fenced node refuses writes: pointing the IP at it would only turn a failover into an outage. One
                // fenced for isolation learns here, once the partition heals, whether it was replaced meanwhile.
                if (fencing.get().fencedForIsolationOnly()) {
                    guard.outrankingPrimary().ifPresent(fencing.get()::outranked);
                }
                return;
            }
            if (promotedNow) {
                // Just promoted: the newest timeline is ours by construction; no guard round trip before the move.
                // (repmgrd made the call with its own visibility checks, even with no peer left to see.)
                assign("promoted");
            } else if (fencing.map(f -> !f.inTouch()).orElse(false)) {
                // Reaching no peer, this node cannot tell whether a standby was promoted behind a partition: the
                // guard's silence would mean nothing, so the IP is not pulled back.
                return;
            } else if (!heldHere(target.provider().status())) {
                Optional<PeerPrimary> outranking = guard.outrankingPrimary();
                if (outranking.isPresent()) {
                    refuse(outranking.get());
                } else {
                    assign("reconcile");
                }
            }
        } catch (RuntimeException e) {
            log.record("flip_error", Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private boolean heldHere(FlipStatus status) {
        if (status.dropletId().isPresent() && target.self().dropletId().isPresent()) {
            return status.dropletId().getAsLong() == target.self().dropletId().getAsLong();
        }
        // Providers that cannot tell (exec) are treated as holding: only a promotion makes us act.
        return status.onThisNode().orElse(true);
    }

    private void assign(String reason) {
        AssignResult result = target.provider().assign(target.self(), Deadline.after(assignBudget));
        lastRefusal = Optional.empty();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("reason", reason);
        facts.put("ip", result.ip());
        facts.put("already_held", result.alreadyHeld());
        result.actionId().ifPresent(id -> facts.put("action_id", id));
        facts.put("assign_ms", result.total().toMillis());
        log.record("flip_assigned", facts);
    }

    private void refuse(PeerPrimary other) {
        fencing.ifPresent(f -> f.outranked(other));
        String why = other.name() + " is primary on timeline " + other.timeline();
        if (!lastRefusal.equals(Optional.of(why))) {
            log.record("flip_refused", Map.of("reason", "another primary outranks this node: " + why
                    + "; this node needs 'repmgr node rejoin' (or pgflip rejoin)"));
            lastRefusal = Optional.of(why);
        }
    }

    public String node() {
        return node;
    }
}
