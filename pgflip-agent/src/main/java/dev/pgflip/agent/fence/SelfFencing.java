package dev.pgflip.agent.fence;

import dev.pgflip.agent.node.ClaimedPromotion;
import dev.pgflip.agent.node.FenceState;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.node.PeerPrimary;
import dev.pgflip.agent.node.Standing;
import dev.pgflip.agent.node.WatchLog;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The primary's guard against split brain (repmgr does not fence):
 * <ol>
 *   <li>cut off from every peer for longer than the isolation bound, the node refuses writes, before repmgrd on the
 *       standby can have promoted it, but only while some standby could be promoted in its place (right after a
 *       failover there is none, and the lost witness must not stop the only primary); lifted once this node is
 *       provably the only primary again ({@link Standing.Sole});
 *   <li>told that another node is primary (its own answer, or the witness's repmgr records), it refuses writes for
 *       good, until {@code pgflip rejoin} makes it a standby.
 * </ol>
 * Runs on its own threads, so a watcher stuck on a slow API call cannot delay the fence: every probe period a look
 * that asks the witness (which blocks for up to two timeouts when the witness is cut off too), and every
 * {@value #ISOLATION_TICK_MS} ms the isolation decision, which does no network I/O and so is never late behind that
 * question (it was: a check blocked on the witness could decide a second after the bound). The record is read again
 * at every look: {@code pgflip rejoin} (another process) removes it, and one written for another timeline than the
 * node's is discarded (hole 7).
 */
public final class SelfFencing implements AutoCloseable {
    private static final Duration STANDING_EVERY = Duration.ofSeconds(1);
    /** How often the isolation decision looks: it only reads what the probes recorded, so it can look often. */
    public static final long ISOLATION_TICK_MS = 50;

    private final PeerView peers;
    private final NodeFence fence;
    private final Supplier<Standing> standing;
    private final BiFunction<Collection<String>, Long, Optional<ClaimedPromotion>> claimedPromotion;
    private final StandbyReplies replies;
    /** The claimant whose claim is not acted on while it still replies (null when none), so it is said once. */
    private String deferredFor;
    private final Duration bound;
    private final Duration probeInterval;
    private final WatchLog log;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService executor;
    private volatile NodeRole role = NodeRole.UNREACHABLE;
    private Optional<FenceState> state = Optional.empty();
    private boolean stateKnown;
    private long nextStandingNanos;
    /** The peer list read during the current isolation (null outside one), and when, for the decision to use. */
    private List<Peer> isolationPeers;
    private long isolationPeersAtNanos;
    /** When the isolation tick last ran (every {@value #ISOLATION_TICK_MS} ms on its own thread); -1 before the first. */
    private volatile long lastTickNanos = -1;
    /** Isolation is counted from here at most: the end of the last pause of this process, -1 before any. */
    private long countFromNanos = -1;

    public SelfFencing(PeerView peers, NodeFence fence, Supplier<Standing> standing, Duration bound,
            Duration probeInterval, WatchLog log, LongSupplier nanoClock) {
        this(peers, fence, standing, (names, timeline) -> Optional.empty(), bound, probeInterval, log, nanoClock);
    }

    public SelfFencing(PeerView peers, NodeFence fence, Supplier<Standing> standing,
            BiFunction<Collection<String>, Long, Optional<ClaimedPromotion>> claimedPromotion, Duration bound,
            Duration probeInterval, WatchLog log, LongSupplier nanoClock) {
        this(peers, fence, standing, claimedPromotion, StandbyReplies.none(), bound, probeInterval, log, nanoClock);
    }

    /**
     * @param claimedPromotion which of the given data peers has its promotion claimed on the witness, or recorded onto
     *     a timeline newer than the given one ({@link dev.pgflip.agent.watch.WitnessClaims}), asked every probe period
     *     while this node is primary
     * @param replies when each standby last replied to this node's walsender, looked at with every claim question
     */
    public SelfFencing(PeerView peers, NodeFence fence, Supplier<Standing> standing,
            BiFunction<Collection<String>, Long, Optional<ClaimedPromotion>> claimedPromotion, StandbyReplies replies,
            Duration bound, Duration probeInterval, WatchLog log, LongSupplier nanoClock) {
        this.claimedPromotion = claimedPromotion;
        this.replies = replies;
        this.peers = peers;
        this.fence = fence;
        this.standing = standing;
        this.bound = bound;
        this.probeInterval = probeInterval;
        this.log = log;
        this.nanoClock = nanoClock;
        this.nextStandingNanos = nanoClock.getAsLong();
        this.executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "pgflip-fence");
            t.setDaemon(true);
            return t;
        });
    }

    public SelfFencing start() {
        executor.scheduleWithFixedDelay(this::checkSafely, 0, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::checkIsolationSafely, ISOLATION_TICK_MS, ISOLATION_TICK_MS,
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** The local role as the watcher last saw it. */
    public void roleSeen(NodeRole role) {
        this.role = role;
    }

    /** Whether the node is fenced: the watcher never takes the floating IP for a fenced node. */
    public synchronized boolean fenced() {
        if (!stateKnown) {
            reload();
        }
        return state.isPresent();
    }

    private void reload() {
        Optional<FenceState> read = fence.current();
        if (read.isPresent() && !read.equals(state)) {
            log.record("fence_found", Map.of("reason", read.get().reason()));
        }
        state = read;
        stateKnown = true;
    }

    /** Another primary: this node stays fenced until rejoined. */
    public synchronized void outranked(PeerPrimary other) {
        if (!other.confirmed() || state.map(s -> s.kind() == FenceState.Kind.OUTRANKED).orElse(false)) {
            // A failed local check is no proof of another primary: a fence for good needs one that was seen.
            return;
        }
        if (other.timeline() == PeerPrimary.TIMELINE_UNKNOWN) {
            // Only claimed so far: writes stop now, but the claim may yet be withdrawn.
            if (state.isEmpty()) {
                apply(FenceState.promotionClaimed(other.name()));
            }
            return;
        }
        apply(FenceState.outranked(other.name(), other.describeTimeline()));
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.record("fence_error", Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private void checkIsolationSafely() {
        try {
            isolationTick();
        } catch (RuntimeException e) {
            log.record("fence_error", Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    /** The isolation thread's look: the decision, then the mark that this process is running (see {@link #pauseGap}). */
    void isolationTick() {
        // The gap is measured to when this tick began, before it may wait for the lock: a tick held up behind the
        // fence's own work (a fenced node's look, its local connections timing out while it restarts) is no pause of
        // this process, and its probes ran meanwhile (seen on the lab: such waits logged "paused" every 1.25 s).
        checkIsolation(nanoClock.getAsLong());
        lastTickNanos = nanoClock.getAsLong();
    }

    /**
     * A gap this long since the isolation tick last ran means this process was paused or starved (SIGSTOP, a long
     * garbage collection, a stalled VM): its probes did not run either, so peers that "did not answer" meanwhile are no
     * evidence, and isolation counts again from the end of the gap (seen in CI: n1's watch, stopped for a few seconds
     * by a test, fenced its healthy primary the moment it was continued). Half the bound, so a gap short of it cannot
     * alone make a fence.
     */
    private long pauseGap() {
        return bound.toNanos() / 2;
    }

    /**
     * One full look (the probe-period thread): discard a stale record, lift or upgrade an isolation fence, fence when
     * the witness holds another node's promotion, then the isolation decision. The witness is asked outside the lock,
     * so the isolation thread never waits behind it.
     */
    public void check() {
        synchronized (this) {
            reload();
            if (state.isPresent()) {
                checkFenced(state.get());
                return;
            }
            if (role != NodeRole.PRIMARY) {
                return;
            }
        }
        // Every data peer, inactive ones too: an old primary restarted here finds its successor inactive in its own
        // (stale) records, and that successor may be down.
        List<String> rivals = dataPeerNames();
        long timeline = fence.localTimeline().orElse(Long.MAX_VALUE);
        Optional<ClaimedPromotion> claimed = claimedPromotion.apply(rivals, timeline);
        // After the claim question: a reply heard now is at least as new as the claim seen.
        replies.look();
        synchronized (this) {
            if (claimed.isPresent() && state.isEmpty() && role == NodeRole.PRIMARY) {
                ClaimedPromotion c = claimed.get();
                if (c.recorded() || !stillReplies(c.node())) {
                    // A claim alone fences as well (the standby may be writable within a second), but not for good:
                    // its repmgr standby promote may still refuse, and an outranked fence would then leave no primary.
                    apply(c.recorded() ? FenceState.outranked(c.node() + " (promotion recorded on the witness)",
                            "a newer timeline") : FenceState.promotionClaimed(c.node()));
                    deferredFor = null;
                    return;
                }
            } else if (deferredFor != null && claimed.isEmpty()) {
                log.record("claim_withdrawn", Map.of("standby", deferredFor, "reason", "the promotion of "
                        + deferredFor + " is no longer claimed on the witness: no fence was needed"));
                deferredFor = null;
            }
        }
        checkIsolation();
    }

    /**
     * A claimant that replied to this node's walsender within the isolation bound is still in recovery, streaming from
     * here: its hook finds this node answering and withdraws the claim, or promotes it, and then its replies stop and
     * the fence follows within the bound. Until then no commit here is acknowledged without it (its synchronous
     * standby slot, or the hook's refusal while another standby streams from here). Seen on the lab under load: a
     * primary continued after a 2.7 s stall, a claim made as it thawed, withdrawn 1 s later, and a fence restart that
     * stopped writes for 9 s in between. After a cut the claimant's last reply is older than the bound when its claim
     * can first be seen: the bound is below repmgrd's earliest promotion.
     */
    private boolean stillReplies(String claimant) {
        if (!replies.heardWithin(claimant, bound)) {
            return false;
        }
        if (!claimant.equals(deferredFor)) {
            deferredFor = claimant;
            log.record("fence_deferred", Map.of("standby", claimant, "reason", "the promotion of " + claimant
                    + " is claimed on the witness, but " + claimant + " still replies to this node's walsender:"
                    + " fenced once it has not for " + bound.toMillis() + " ms"));
        }
        return true;
    }

    /**
     * The isolation decision (its own thread, every {@value #ISOLATION_TICK_MS} ms): only what the probes recorded and
     * the local peer list, read early in an isolation so the decision at the bound waits on nothing.
     */
    public void checkIsolation() {
        checkIsolation(nanoClock.getAsLong());
    }

    /** @param beganNanos when the caller began this look, before it waited for the lock */
    private synchronized void checkIsolation(long beganNanos) {
        long now = nanoClock.getAsLong();
        long lastTick = lastTickNanos;
        if (lastTick != -1 && beganNanos - lastTick > pauseGap() && countFromNanos < lastTick) {
            countFromNanos = now;
            long pausedMs = (beganNanos - lastTick) / 1_000_000;
            log.record("isolation_clock_restarted", Map.of("paused_ms", pausedMs, "reason",
                    "the isolation decision did not run for " + pausedMs + " ms (this process was paused or starved):"
                            + " peers that did not answer meanwhile are no evidence; isolation counts from now"));
        }
        if (state.isPresent() || role != NodeRole.PRIMARY) {
            isolationPeers = null;
            return;
        }
        Duration isolated = peers.isolatedFor();
        if (countFromNanos != -1 && isolated.toNanos() > now - countFromNanos) {
            isolated = Duration.ofNanos(now - countFromNanos);
        }
        if (isolated.compareTo(bound.dividedBy(2)) <= 0) {
            isolationPeers = null;
            return;
        }
        List<Peer> list = peersDuringIsolation();
        if (isolated.compareTo(bound) > 0 && list.stream().anyMatch(Peer::couldReplaceMe)) {
            apply(FenceState.isolated(isolated.toMillis()));
        }
    }

    /**
     * Whether a standby could be promoted in this node's place is decided on the list read again during this
     * isolation, at most one probe period old: a list read before this node's rejoin and promotion may still show the
     * old primary as its standby (seen in CI: the only primary fenced itself 2 s after its promotion when the witness
     * went). When the local node cannot be read, the last known list decides: wrongly stopping writes is the price
     * of never deciding late.
     */
    private List<Peer> peersDuringIsolation() {
        long now = nanoClock.getAsLong();
        if (isolationPeers == null || now - isolationPeersAtNanos > probeInterval.toNanos()) {
            try {
                isolationPeers = peers.peersNow();
                isolationPeersAtNanos = now;
            } catch (RuntimeException e) {
                return isolationPeers != null ? isolationPeers : peers.peers();
            }
        }
        return isolationPeers;
    }

    private void checkFenced(FenceState current) {
        OptionalLong timeline = fence.localTimeline();
        if (timeline.isPresent() && current.staleFor(timeline.getAsLong())) {
            fence.discard();
            log.record("fence_discarded", Map.of("reason", "the record was written on timeline "
                    + current.timeline().getAsLong() + " and this node is on timeline " + timeline.getAsLong()
                    + " (rebuilt or promoted since)", "was", current.reason()));
            state = Optional.empty();
            return;
        }
        if (current.kind() != FenceState.Kind.ISOLATED || !everyDataPeerReached() || !standingDue()) {
            return;
        }
        // A fenced node runs in recovery, so the watcher (which acts only on a primary) no longer asks: the fence does.
        Standing now = standing.get();
        if (now instanceof Standing.Outranked o && o.by().confirmed()
                && o.by().timeline() != PeerPrimary.TIMELINE_UNKNOWN) {
            apply(FenceState.outranked(o.by().name(), o.by().describeTimeline()));
        } else if (now instanceof Standing.Sole sole) {
            // Not while the witness holds another node's promotion claimed or done: a standby that streams from this
            // node may be inside its repmgr standby promote right now (a claim it never withdrew keeps this node
            // fenced; withdraw it on the witness by hand once that node is known to be a standby).
            List<String> rivals = dataPeerNames();
            Optional<ClaimedPromotion> claimed = claimedPromotion.apply(rivals,
                    fence.localTimeline().orElse(Long.MAX_VALUE));
            if (claimed.isPresent()) {
                log.record("fence_kept", Map.of("reason", "the promotion of " + claimed.get().node() + " is "
                        + (claimed.get().recorded() ? "recorded" : "claimed") + " on the witness", "was",
                        current.reason()));
                return;
            }
            fence.lift();
            log.record("fence_lifted", Map.of("reason", "the cluster is whole again and this node its only primary: "
                    + sole.how(), "was", current.reason()));
            state = Optional.empty();
        }
    }

    /** Every data peer by name, inactive ones too: whose promotion on the witness would outrank this node. */
    private List<String> dataPeerNames() {
        return peers.peers().stream().filter(Peer::isDataNode).map(Peer::name).toList();
    }

    private boolean standingDue() {
        long now = nanoClock.getAsLong();
        if (now - nextStandingNanos < 0) {
            return false;
        }
        nextStandingNanos = now + STANDING_EVERY.toNanos();
        return true;
    }

    private boolean everyDataPeerReached() {
        Duration recent = probeInterval.multipliedBy(2);
        var dataPeers = peers.peers().stream().filter(Peer::isDataNode).filter(Peer::active).toList();
        return !dataPeers.isEmpty() && dataPeers.stream().allMatch(p -> peers.recentlyReached(p, recent));
    }

    /** Logs {@code fenced} the moment writes are refused, {@code fence_settled} once the node serves reads again. */
    private void apply(FenceState next) {
        fence.fence(next, () -> log.record("fenced", Map.of("reason", next.reason(), "kind", next.kind().name(),
                "isolation_bound_ms", bound.toMillis())));
        stateKnown = true;
        if (fence.current().isEmpty()) {
            // Nothing was recorded: pgflip rejoin holds the node, or made it a standby since the look that decided this.
            state = Optional.empty();
            log.record("fence_not_recorded", Map.of("kind", next.kind().name(), "reason", next.reason()));
            return;
        }
        state = Optional.of(next);
        log.record("fence_settled", Map.of("kind", next.kind().name()));
    }

    @Override
    public void close() {
        executor.shutdownNow();
        peers.close();
        replies.close();
    }
}
