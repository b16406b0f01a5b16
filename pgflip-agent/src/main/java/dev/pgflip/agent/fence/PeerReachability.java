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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether this node can still reach its peers, from its own network position: a TCP connect to each peer's
 * PostgreSQL port every probe period, on its own thread so a silent peer never stalls the watcher. A connect is all
 * the question needs (is there a path?) and needs no credentials. It is not free: the peer's postmaster forks a backend
 * for each one (8 a second from a watch with two peers; with {@code log_connections} on, a line each in the peer's log).
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
    private final PeerDirectory peers;
    private final Duration period;
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

    public PeerReachability(PeerDirectory peers, Duration period, LongSupplier nanoClock) {
        this.peers = peers;
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
        List<Peer> reached = connectAll(targets, period);
        reached.forEach(p -> lastReached.put(p.name(), at));
        return !reached.isEmpty();
    }

    /** The peers that accepted a TCP connection within {@code timeout}, all tried at once. */
    static List<Peer> connectAll(List<Peer> targets, Duration timeout) {
        List<Peer> reached = new ArrayList<>();
        List<SocketChannel> open = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (Peer peer : targets) {
                try {
                    SocketChannel channel = SocketChannel.open();
                    open.add(channel);
                    channel.configureBlocking(false);
                    if (channel.connect(new InetSocketAddress(peer.host(), peer.port()))) {
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
        return reached;
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
