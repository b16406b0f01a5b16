package dev.pgflip.agent.watch;

import dev.pgflip.agent.node.FlipCheck;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.node.PeerPrimary;
import dev.pgflip.agent.node.PrimaryGuard;
import dev.pgflip.agent.node.Standing;
import dev.pgflip.agent.node.WatchLog;
import dev.pgflip.agent.node.WatchRecorder;
import dev.pgflip.agent.promote.FlipTarget;
import dev.pgflip.agent.promote.NodeRoleProbe;
import dev.pgflip.agent.provider.AssignResult;
import dev.pgflip.agent.provider.FlipStatus;
import dev.pgflip.agent.time.Deadline;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * {@code pgflip watch}: reconciles the floating IP with the local node's role. The role is read every
 * {@code interval} (one query on a kept connection); the API only while this node is primary, every
 * {@code reconcileEvery} (well inside DigitalOcean's 5,000 requests an hour), and at once when this node turns
 * primary, so a warm process moves the IP without waiting for the promote hook's JVM to start. It complements the
 * promote hook: whichever asks second finds the IP already moving or moved and does nothing.
 *
 * <p>At every reconcile (not only when the IP is elsewhere) the guard judges this node's {@link Standing}: outranked,
 * it refuses the IP and the fence goes up for good; unproven (a data peer may have been promoted and the witness
 * does not vouch for this node), it withholds the IP and waits. A primary that holds the IP but has been replaced
 * behind a partial partition is so found within one reconcile period.
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
    private final Optional<dev.pgflip.agent.fence.SelfFencing> fencing;
    private final WatchRecorder recorder;

    private NodeRole lastRole;
    private long nextReconcileNanos;
    private Optional<String> lastRefusal = Optional.empty();

    public FlipWatcher(String node, NodeRoleProbe probe, FlipTarget target, PrimaryGuard guard, WatchLog log,
            Duration reconcileEvery, Duration assignBudget, LongSupplier nanoClock) {
        this(node, probe, target, guard, log, reconcileEvery, assignBudget, nanoClock, Optional.empty());
    }

    public FlipWatcher(String node, NodeRoleProbe probe, FlipTarget target, PrimaryGuard guard, WatchLog log,
            Duration reconcileEvery, Duration assignBudget, LongSupplier nanoClock,
            Optional<dev.pgflip.agent.fence.SelfFencing> fencing) {
        this(node, probe, target, guard, log, reconcileEvery, assignBudget, nanoClock, fencing, WatchRecorder.NONE);
    }

    /** @param recorder told the role at every look and how each reconcile ended (the watch's metrics) */
    public FlipWatcher(String node, NodeRoleProbe probe, FlipTarget target, PrimaryGuard guard, WatchLog log,
            Duration reconcileEvery, Duration assignBudget, LongSupplier nanoClock,
            Optional<dev.pgflip.agent.fence.SelfFencing> fencing, WatchRecorder recorder) {
        this.fencing = fencing;
        this.recorder = recorder;
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
        recorder.roleSeen(role);
        if (promotedNow) {
            recorder.promoted();
        }
        if (role != NodeRole.PRIMARY) {
            return;
        }
        reconcile(promotedNow, nanoClock.getAsLong());
    }

    private void reconcile(boolean promotedNow, long now) {
        if (!promotedNow && now - nextReconcileNanos < 0) {
            return;
        }
        nextReconcileNanos = now + reconcileEvery.toNanos();
        FlipCheck check = FlipCheck.FAILED;
        try {
            if (fencing.map(dev.pgflip.agent.fence.SelfFencing::fenced).orElse(false)) {
                // A fenced node refuses writes: pointing the IP at it would only turn a failover into an outage. The
                // fence's own thread learns whether it was replaced meanwhile.
                check = FlipCheck.FENCED;
                return;
            }
            if (promotedNow) {
                // Just promoted: the newest timeline is ours by construction; no guard round trip before the move.
                // (repmgrd made the call with its own visibility checks, even with no peer left to see.)
                assign("promoted");
                check = FlipCheck.HELD;
                return;
            }
            Standing standing = guard.standing();
            if (standing instanceof Standing.Outranked outranked) {
                check = FlipCheck.REFUSED;
                refuse(outranked.by());
            } else if (standing instanceof Standing.Unproven unproven) {
                check = FlipCheck.WITHHELD;
                withhold(unproven.why());
            } else if (!heldHere(target.provider().status())) {
                check = FlipCheck.ELSEWHERE;
                assign("reconcile");
                check = FlipCheck.HELD;
            } else {
                lastRefusal = Optional.empty();
                check = FlipCheck.HELD;
            }
        } catch (RuntimeException e) {
            log.record("flip_error", Map.of("error", String.valueOf(e.getMessage())));
        } finally {
            recorder.flipChecked(check);
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
        sayOnce("flip_refused", "another primary outranks this node: " + other.name() + " is primary on "
                + other.describeTimeline() + "; this node needs 'repmgr node rejoin' (or pgflip rejoin)");
    }

    private void withhold(String why) {
        sayOnce("flip_withheld", "this node cannot prove it is the only primary: " + why);
    }

    private void sayOnce(String event, String reason) {
        if (!lastRefusal.equals(Optional.of(reason))) {
            log.record(event, Map.of("reason", reason));
            lastRefusal = Optional.of(reason);
        }
    }

    public String node() {
        return node;
    }
}
