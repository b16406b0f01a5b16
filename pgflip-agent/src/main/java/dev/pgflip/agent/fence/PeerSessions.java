package dev.pgflip.agent.fence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL session kept open to each peer and asked {@code SELECT 1} at every probe round: an answer proves a path
 * both ways, as a TCP connect does, without the backend the peer's postmaster forks for every connect (a watch probing
 * two peers every 250 ms made 8 forks a second on them; 20 such connects a second took 15 % of the lab's two cores).
 *
 * <p>A session that is not open, is still busy with an earlier question, or does not answer within the round's wait
 * gives no answer, and {@link PeerReachability} then asks that peer with a TCP connect as before: the sessions only
 * spare work when all is well and never decide that a peer is out of reach. A session that failed is opened again on a
 * later round, at most every {@link #REOPEN_AFTER} after a failed open (a peer refusing the agent's login costs one
 * backend per period, not per round). Each session's work runs on its own pooled thread, one question at a time, so a
 * silent peer never holds up the round beyond its wait.
 */
public final class PeerSessions implements PeerAnswers {
    static final Duration REOPEN_AFTER = Duration.ofSeconds(5);
    private static final String QUESTION = "SELECT 1";
    private static final Logger log = LoggerFactory.getLogger(PeerSessions.class);

    /** Opens a session to a peer (the agent's credentials, its short timeouts). */
    @FunctionalInterface
    public interface Opener {
        Connection open(Peer peer) throws SQLException;
    }

    private final Opener opener;
    private final LongSupplier nanoClock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final ExecutorService work = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "pgflip-peer-session");
        t.setDaemon(true);
        return t;
    });

    public PeerSessions(Opener opener, LongSupplier nanoClock) {
        this.opener = opener;
        this.nanoClock = nanoClock;
    }

    @Override
    public Set<Peer> answeredWithin(List<Peer> peers, Duration wait) {
        Map<String, Peer> wanted = new HashMap<>();
        peers.forEach(p -> wanted.put(key(p), p));
        for (String gone : new ArrayList<>(sessions.keySet())) {
            if (!wanted.containsKey(gone)) {
                Session s = sessions.remove(gone);
                work.execute(s::close);
            }
        }
        Map<Peer, Future<Boolean>> asked = new HashMap<>();
        for (Map.Entry<String, Peer> e : wanted.entrySet()) {
            Session s = sessions.computeIfAbsent(e.getKey(), k -> new Session(e.getValue()));
            s.ask().ifPresent(f -> asked.put(e.getValue(), f));
        }
        long deadline = nanoClock.getAsLong() + wait.toNanos();
        Set<Peer> answered = new HashSet<>();
        for (Map.Entry<Peer, Future<Boolean>> e : asked.entrySet()) {
            try {
                if (e.getValue().get(Math.max(0, deadline - nanoClock.getAsLong()), TimeUnit.NANOSECONDS)) {
                    answered.add(e.getKey());
                }
            } catch (TimeoutException | ExecutionException notInTime) {
                // no answer from this session this round: the peer is asked with a connect instead
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return answered;
    }

    /** A peer is the same peer while its name and address are: a new address is a new session. */
    private static String key(Peer p) {
        return p.name() + "@" + p.host() + ":" + p.port();
    }

    @Override
    public void close() {
        work.shutdownNow();
        sessions.values().forEach(Session::close);
        sessions.clear();
    }

    /** The session to one peer; its connection is touched only by its one task in flight. */
    private final class Session {
        private final Peer peer;
        private volatile boolean busy;
        private volatile long nextOpenAt;
        private volatile boolean failing;
        private volatile Connection connection;

        Session(Peer peer) {
            this.peer = peer;
            this.nextOpenAt = nanoClock.getAsLong();
        }

        /** A question sent now, or nothing when the session is busy, closed, or waits to be opened again. */
        synchronized Optional<Future<Boolean>> ask() {
            if (busy) {
                return Optional.empty();
            }
            if (connection == null) {
                if (nanoClock.getAsLong() - nextOpenAt >= 0) {
                    busy = true;
                    submit(this::open);
                }
                return Optional.empty();
            }
            busy = true;
            return Optional.ofNullable(submit(this::question));
        }

        private Future<Boolean> submit(Callable<Boolean> task) {
            try {
                return work.submit(() -> {
                    try {
                        return task.call();
                    } finally {
                        busy = false;
                    }
                });
            } catch (RejectedExecutionException closed) {
                busy = false;
                return null;
            }
        }

        private boolean open() {
            try {
                connection = opener.open(peer);
                if (failing) {
                    log.info("peer {}: the probe's kept session is open again", peer.name());
                    failing = false;
                }
            } catch (SQLException | RuntimeException e) {
                nextOpenAt = nanoClock.getAsLong() + REOPEN_AFTER.toNanos();
                if (!failing) {
                    log.warn("peer {}: cannot keep a session open to it ({}): probing it with TCP connects, each of"
                            + " which starts a backend there, until a session opens", peer.name(), e.getMessage());
                    failing = true;
                }
            }
            return false;
        }

        private boolean question() {
            try (Statement s = connection.createStatement()) {
                s.execute(QUESTION);
                return true;
            } catch (SQLException e) {
                // broken or timed out (the connector's socket timeout): opened again on a later round
                close();
                return false;
            }
        }

        void close() {
            Connection c = connection;
            connection = null;
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // a probe session being dropped
                }
            }
        }
    }
}
