package dev.pgflip.agent.fence;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node can still reach its peers, from its own network position: a TCP connect to each peer every probe
 * period, on its own thread so a silent peer never stalls the watcher. A connect is all the question needs (is there a
 * path?) and needs no credentials. To PostgreSQL's port it is not free: the peer's postmaster forks a backend for each
 * one (8 a second from a watch with two peers; with {@code log_connections} on, a line each in the peer's log). With
 * {@code fencing.probe_port}, the data peers are tried first on that port, where their watch accepts ({@link
 * ProbeListener}): PostgreSQL's port only when that one does not answer, and the witness (no watch runs there) only
 * when no data peer did.
 *
 * <p>A <em>new</em> connection is the point, not a session kept open and asked: repmgrd judges the primary with new
 * connections ({@code connection_check_type=ping}), so a fault that stops new connections while established ones live
 * on (a full conntrack table, a stateful firewall's rule changed) makes the standby promote, and the fence must see
 * that fault as isolation too. A kept session answered through it (tried 2026-12-07: 0 forks on an idle lab, and
 * that blind spot; not drillable on the lab, which has no packet filter).
 *
 * <p>The peers are tried at once (non-blocking connects), so one silent peer does not hold up the others; and after
 * a round that reached nobody the next follows in {@value #RETRY_WHILE_ISOLATED_MS} ms, not a probe period: the
 * isolation clock must stop as soon as a path is back, or a link that was down for less than the bound still counts
 * as isolated for up to a period more (a 0.85 s blip fenced the primary on a loaded lab).
 */
public final class PeerReachability implements PeerView {
    static final long RETRY_WHILE_ISOLATED_MS = 50;
    static final Duration PROBE_PORT_SKIP = Duration.ofMinutes(5);
    static final int SILENT_ROUNDS_BEFORE_SKIP = 3;
    private static final Logger log = LoggerFactory.getLogger(PeerReachability.class);
    private final PeerDirectory peers;
    private final OptionalInt probePort;
    private final Duration period;
    /** Data peers whose probe port did not answer while their PostgreSQL port did: until when it is left out. */
    private final Map<String, Long> probePortSkippedUntil = new ConcurrentHashMap<>();
    /**
     * Rounds in a row in which a data peer's probe port was silent while its PostgreSQL port answered: one is not
     * enough, a link that comes back between the two connects does that (seen on the lab after link-down, twice).
     */
    private final Map<String, Integer> silentProbePortRounds = new ConcurrentHashMap<>();
    /** Whether the last round reached anyone: a round after one that did not asks PostgreSQL's ports alone. */
    private volatile boolean reachedLastRound = true;
    private final LongSupplier nanoClock;
    private final Map<String, Long> lastReached = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor;
    private volatile List<Peer> current = List.of();
    /**
     * When the first round with a peer to try began (-1 before): the isolation clock starts there, not at construction,
     * nor when the list arrived (a first local read slow at start-up, then up to a period before the next round, read
     * as seconds of isolation and fenced a primary right after lab up in CI).
     */
    private volatile long probingSinceNanos = -1;

    /** Every peer probed on its PostgreSQL port. */
    public PeerReachability(PeerDirectory peers, Duration period, LongSupplier nanoClock) {
        this(peers, OptionalInt.empty(), period, nanoClock);
    }

    /** @param probePort {@code fencing.probe_port}: where the data peers' watches accept probes, tried first */
    public PeerReachability(PeerDirectory peers, OptionalInt probePort, Duration period, LongSupplier nanoClock) {
        this.peers = peers;
        this.probePort = probePort;
        this.period = period;
        this.nanoClock = nanoClock;
        this.executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "pgflip-peer-probe");
            t.setDaemon(true);
            return t;
        });
    }

    public PeerReachability start() {
        // The list is read on a thread of its own: a slow local read (a loaded node, up to two 1 s timeouts) must
        // not hold up the probes, or the isolation clock runs on while every peer answers.
        executor.scheduleWithFixedDelay(this::refreshList, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        executor.schedule(this::probeRound, 0, TimeUnit.MILLISECONDS);
        return this;
    }

    private void probeRound() {
        long next = period.toMillis();
        try {
            if (!probeAll() && !current.isEmpty()) {
                next = RETRY_WHILE_ISOLATED_MS;
            }
        } catch (RuntimeException e) {
            // a round that failed as a whole reached nobody: the isolation clock runs on, the next round comes
        } finally {
            if (!executor.isShutdown()) {
                executor.schedule(this::probeRound, next, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void refreshList() {
        try {
            current = peers.get();
        } catch (RuntimeException e) {
            // the peer list comes from the local node: unreadable now, the last known list still stands
        }
    }

    /** One round over every peer known; whether any answered. */
    boolean probeAll() {
        long at = nanoClock.getAsLong();
        List<Peer> targets = current;
        if (!targets.isEmpty() && probingSinceNanos == -1) {
            probingSinceNanos = at;
        }
        List<Peer> reached = probePort.isPresent() && reachedLastRound ? throughProbePort(targets, probePort.getAsInt())
                : connectAll(targets, period);
        reached.forEach(p -> lastReached.put(p.name(), at));
        reachedLastRound = !reached.isEmpty();
        return reachedLastRound;
    }

    /**
     * A round while the node reached someone last time: each data peer on its probe port first (its watch accepts
     * there, no backend forked), for {@link #probePortWait()} at most; then, at once, for the rest of the period,
     * PostgreSQL's port of every data peer that did not answer there (its watch down, the port filtered, or the peer
     * cut off), and of the witness, which runs no watch, only when no data peer answered on its probe port: reaching
     * any peer is all the isolation question asks, and the lifting of a fence needs every data peer, not the witness.
     * A data peer that answered on PostgreSQL's port after a silent probe port in {@value #SILENT_ROUNDS_BEFORE_SKIP}
     * rounds in a row is left out of the first step for {@link #PROBE_PORT_SKIP} (a firewall that drops the port would
     * otherwise cost every round that wait).
     */
    private List<Peer> throughProbePort(List<Peer> targets, int port) {
        long now = nanoClock.getAsLong();
        List<Peer> first = targets.stream().filter(Peer::isDataNode)
                .filter(p -> probePortSkippedUntil.getOrDefault(p.name(), now) - now <= 0).toList();
        Attempt onProbePort = connectAll(first, p -> port, probePortWait());
        List<Peer> reached = new ArrayList<>(onProbePort.reached());
        List<Peer> second = targets.stream().filter(p -> !reached.contains(p))
                .filter(p -> p.isDataNode() || reached.isEmpty()).toList();
        List<Peer> onPostgres = second.isEmpty() ? List.of()
                : connectAll(second, Peer::port, period.minus(probePortWait())).reached();
        onProbePort.reached().forEach(p -> silentProbePortRounds.remove(p.name()));
        for (Peer p : onPostgres) {
            if (onProbePort.silent().contains(p)
                    && silentProbePortRounds.merge(p.name(), 1, Integer::sum) >= SILENT_ROUNDS_BEFORE_SKIP) {
                silentProbePortRounds.remove(p.name());
                probePortSkippedUntil.put(p.name(), nanoClock.getAsLong() + PROBE_PORT_SKIP.toNanos());
                log.warn("peer {} did not answer on fencing.probe_port {} but did on its PostgreSQL port {}: probing"
                        + " that port (a backend forked per probe) for the next {} min; open port {} between the"
                        + " nodes", p.name(), port, p.port(), PROBE_PORT_SKIP.toMinutes(), port);
            }
        }
        reached.addAll(onPostgres);
        return reached;
    }

    /** Whether {@code peer}'s probe port is left out for now, after it was silent while its PostgreSQL port answered. */
    boolean probePortSkipped(String peer) {
        Long until = probePortSkippedUntil.get(peer);
        return until != null && until - nanoClock.getAsLong() > 0;
    }

    /**
     * Half a period, and the other half for PostgreSQL's port after it: a watch accepts at once, a connect on a network
     * that works takes milliseconds, and a round that falls back ends within a period, as one without the probe port
     * (rounds of one and a half periods spaced the stamps of a cut-off peer's partners wider, nearer the bound).
     */
    private Duration probePortWait() {
        return period.dividedBy(2);
    }

    /** The peers that accepted a TCP connection to their PostgreSQL port within {@code timeout}, all tried at once. */
    static List<Peer> connectAll(List<Peer> targets, Duration timeout) {
        return connectAll(targets, Peer::port, timeout).reached();
    }

    /**
     * One connect per peer, all at once.
     *
     * @param reached the peers that accepted
     * @param silent the peers still unanswered at the deadline (not those refused or unreachable at once)
     */
    public record Attempt(List<Peer> reached, List<Peer> silent) {}

    public static Attempt connectAll(List<Peer> targets, ToIntFunction<Peer> portOf, Duration timeout) {
        List<Peer> reached = new ArrayList<>();
        List<Peer> silent = new ArrayList<>();
        List<SocketChannel> open = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (Peer peer : targets) {
                try {
                    SocketChannel channel = SocketChannel.open();
                    open.add(channel);
                    channel.configureBlocking(false);
                    if (channel.connect(new InetSocketAddress(peer.host(), portOf.applyAsInt(peer)))) {
                        reached.add(peer);
                    } else {
                        channel.register(selector, SelectionKey.OP_CONNECT, peer);
                    }
                } catch (IOException | RuntimeException e) {
                    // unreachable at once (no route, refused, unresolvable): not reached
                }
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!selector.keys().isEmpty()) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0) {
                    break;
                }
                selector.select(leftMs);
                for (SelectionKey key : selector.selectedKeys()) {
                    try {
                        if (((SocketChannel) key.channel()).finishConnect()) {
                            reached.add((Peer) key.attachment());
                        }
                    } catch (IOException e) {
                        // refused or unreachable: not reached
                    }
                    key.cancel();
                }
                selector.selectedKeys().clear();
                selector.selectNow(); // flushes the cancelled keys out of keys()
            }
            selector.keys().forEach(key -> silent.add((Peer) key.attachment()));
        } catch (IOException e) {
            // no selector: this round reached nobody
        } finally {
            for (SocketChannel channel : open) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // a probe socket: nothing to keep
                }
            }
        }
        return new Attempt(reached, silent);
    }

    /** The peers known at the last probe round. */
    @Override
    public List<Peer> peers() {
        return current;
    }

    @Override
    public List<Peer> peersNow() {
        List<Peer> read = peers.readNow();
        current = read;
        return read;
    }

    /**
     * How long no peer at all has answered; zero while any does. Before the first answer the clock starts at the first
     * round that had a peer to try, so a node that never reached anyone counts as isolated too; before that round,
     * nothing is known and nothing is counted.
     */
    @Override
    public Duration isolatedFor() {
        long since = probingSinceNanos;
        if (current.isEmpty() || since == -1) {
            return Duration.ZERO;
        }
        long newest = current.stream().map(p -> lastReached.getOrDefault(p.name(), since))
                .max(Long::compare).orElse(since);
        return Duration.ofNanos(Math.max(0, nanoClock.getAsLong() - newest));
    }

    /** Whether {@code peer} answered within the last {@code within}. */
    @Override
    public boolean recentlyReached(Peer peer, Duration within) {
        Long at = lastReached.get(peer.name());
        return at != null && nanoClock.getAsLong() - at <= within.toNanos();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
