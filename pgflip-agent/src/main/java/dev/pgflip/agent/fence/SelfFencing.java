package dev.pgflip.agent.fence;

import dev.pgflip.agent.promote.NodeRole;
import dev.pgflip.agent.watch.PeerPrimary;
import dev.pgflip.agent.watch.WatchLog;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The primary's guard against split brain, layers 1 and 2 (repmgr does not fence):
 * <ol>
 *   <li>cut off from every peer for longer than the isolation bound, the node refuses writes, before repmgrd on the
 *       standby can have promoted it; lifted once every data peer answers again as a standby;
 *   <li>told by the watcher that another node is primary on a newer timeline, it refuses writes for good, until
 *       {@code pgflip rejoin} makes it a standby.
 * </ol>
 * Runs on its own thread every probe period, so a watcher stuck on a slow API call cannot delay the fence.
 */
public final class SelfFencing implements AutoCloseable {
    private final PeerView peers;
    private final NodeFence fence;
    private final BooleanSupplier everyDataPeerIsStandby;
    private final Duration bound;
    private final Duration probeInterval;
    private final WatchLog log;
    private final ScheduledExecutorService executor;
    private volatile NodeRole role = NodeRole.UNREACHABLE;
    private Optional<FenceState> state = Optional.empty();
    private boolean stateKnown;

    public SelfFencing(PeerView peers, NodeFence fence, BooleanSupplier everyDataPeerIsStandby,
            Duration bound, Duration probeInterval, WatchLog log) {
        this.peers = peers;
        this.fence = fence;
        this.everyDataPeerIsStandby = everyDataPeerIsStandby;
        this.bound = bound;
        this.probeInterval = probeInterval;
        this.log = log;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgflip-fence");
            t.setDaemon(true);
            return t;
        });
    }

    public SelfFencing start() {
        executor.scheduleWithFixedDelay(this::checkSafely, 0, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * The local role as the watcher last saw it. A node that is not primary forgets its fence: {@code pgflip rejoin}
     * (another process) lifts it when it turns the node into a standby, so the record is read again at the next
     * promotion (found by the docs' drills: a watcher that kept an old OUTRANKED fence in memory never moved the IP
     * for its node's later promotion, and could not fence it when isolated).
     */
    public synchronized void roleSeen(NodeRole role) {
        this.role = role;
        if (role != NodeRole.PRIMARY) {
            state = Optional.empty();
            stateKnown = false;
        }
    }

    /** Whether the node is fenced: the watcher never takes the floating IP for a fenced node. */
    public synchronized boolean fenced() {
        loadIfUnknown();
        return state.isPresent();
    }

    private void loadIfUnknown() {
        if (!stateKnown) {
            state = fence.current();
            stateKnown = true;
            state.ifPresent(s -> log.record("fence_found", Map.of("reason", s.reason())));
        }
    }

    /** Fenced because no peer answered, not (yet) known to be replaced by another primary. */
    public synchronized boolean fencedForIsolationOnly() {
        return state.map(s -> s.kind() == FenceState.Kind.ISOLATED).orElse(false);
    }

    /** Layer 2: another primary on a newer timeline; this node stays fenced until rejoined. */
    public synchronized void outranked(PeerPrimary other) {
        if (!other.confirmed() || state.map(s -> s.kind() == FenceState.Kind.OUTRANKED).orElse(false)) {
            // A failed local check is no proof of another primary: a fence for good needs one that was seen.
            return;
        }
        apply(FenceState.outranked(other.name(), other.timeline()));
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.record("fence_error", Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    /** One look: fence when isolated past the bound, lift when the cluster is whole again (its own thread calls it). */
    public synchronized void check() {
        if (role != NodeRole.PRIMARY) {
            return;
        }
        loadIfUnknown();
        Duration isolated = peers.isolatedFor();
        if (state.isEmpty()) {
            if (isolated.compareTo(bound) > 0) {
                apply(FenceState.isolated(isolated.toMillis()));
            }
            return;
        }
        if (state.get().kind() == FenceState.Kind.ISOLATED && everyDataPeerReached() && everyDataPeerIsStandby.getAsBoolean()) {
            fence.lift();
            log.record("fence_lifted", Map.of("reason", "every data peer answers again and none is primary",
                    "was", state.get().reason()));
            state = Optional.empty();
        }
    }

    private boolean everyDataPeerReached() {
        Duration recent = probeInterval.multipliedBy(2);
        var dataPeers = peers.peers().stream().filter(Peer::isDataNode).toList();
        return !dataPeers.isEmpty() && dataPeers.stream().allMatch(p -> peers.recentlyReached(p, recent));
    }

    private void apply(FenceState next) {
        fence.fence(next);
        state = Optional.of(next);
        stateKnown = true;
        log.record("fenced", Map.of("reason", next.reason(), "kind", next.kind().name(),
                "isolation_bound_ms", bound.toMillis()));
    }

    /** Whether any peer answered within two probe periods (the keeper may only degrade replication then). */
    public boolean inTouch() {
        return peers.isolatedFor().compareTo(probeInterval.multipliedBy(2)) <= 0;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        peers.close();
    }
}
