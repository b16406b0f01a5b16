package dev.pgflip.agent.fence;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
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
 * the question needs (is there a path?), costs the peer nothing, and needs no credentials.
 */
public final class PeerReachability implements PeerView {
    private final PeerDirectory peers;
    private final Duration period;
    private final LongSupplier nanoClock;
    private final Map<String, Long> lastReached = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor;
    private volatile List<Peer> current = List.of();
    private final long startedNanos;

    public PeerReachability(PeerDirectory peers, Duration period, LongSupplier nanoClock) {
        this.peers = peers;
        this.period = period;
        this.nanoClock = nanoClock;
        this.startedNanos = nanoClock.getAsLong();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pgflip-peer-probe");
            t.setDaemon(true);
            return t;
        });
    }

    public PeerReachability start() {
        executor.scheduleWithFixedDelay(this::probeAll, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void probeAll() {
        try {
            current = peers.get();
        } catch (RuntimeException e) {
            // the peer list comes from the local node: unreadable now, the last known list still stands
        }
        for (Peer peer : current) {
            long at = nanoClock.getAsLong();
            if (reachable(peer)) {
                lastReached.put(peer.name(), at);
            }
        }
    }

    private boolean reachable(Peer peer) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(peer.host(), peer.port()), (int) period.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
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
     * How long no peer at all has answered; zero while any does. Before the first answer the clock starts at
     * construction, so a node that never reached anyone counts as isolated too.
     */
    @Override
    public Duration isolatedFor() {
        if (current.isEmpty()) {
            return Duration.ZERO;
        }
        long newest = current.stream().map(p -> lastReached.getOrDefault(p.name(), startedNanos))
                .max(Long::compare).orElse(startedNanos);
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
