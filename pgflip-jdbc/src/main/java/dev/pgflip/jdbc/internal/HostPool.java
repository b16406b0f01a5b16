package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;
import dev.pgflip.jdbc.PoolStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool of one host in one role, plus the connections pgflip has lent out of it (so a monitor can abort
 * them when the host goes silent). After an outage the pool is replaced by a fresh one ({@link #renew()}): HikariCP's
 * connection adder backs off 10 ms doubling to 5 s while a host refuses connections, so the old pool could sleep
 * ~1.3-2.6 s after the new primary already answers; a new pool starts at the bottom of that back-off.
 *
 * <p>Its life is one {@link Life} value, changed by compare-and-set: open, retiring (closes when the last lent
 * connection comes back) or closed, together with the number lent, so that a borrow and the last return of a retiring
 * pool cannot both miss each other.
 */
public final class HostPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostPool.class);
    /** The longest one wait inside HikariCP; callers loop on their own deadline so they notice state changes. */
    static final long BORROW_SLICE_MS = 1000;

    /** Where a pool is in its life; it only moves forward. */
    enum Stage { OPEN, RETIRING, CLOSED }

    /** The stage and the connections lent, as one immutable value: every transition is a pure function of it. */
    record Life(Stage stage, int lent) {
        static final Life NEW = new Life(Stage.OPEN, 0);

        /** One more lent; only an open pool lends (see {@link #borrow}). */
        Life borrowed() {
            return new Life(stage, lent + 1);
        }

        /** One came back: the last one back closes a retiring pool. */
        Life returned() {
            return new Life(stage == Stage.RETIRING && lent == 1 ? Stage.CLOSED : stage, lent - 1);
        }

        /** No more lending; closed at once when nothing is lent. */
        Life retired() {
            return stage != Stage.OPEN ? this : new Life(lent == 0 ? Stage.CLOSED : Stage.RETIRING, lent);
        }

        Life closed() {
            return new Life(Stage.CLOSED, lent);
        }
    }

    private final HostSpec host;
    private final Role role;
    /** Whether connections may be opened to a server in recovery (see {@link #direct}). */
    private final boolean inRecoveryToo;
    /** The same for every generation of the pool: see {@link PoolNames}. */
    private final String name;
    private final PoolFactory factory;
    private final ClusterMetrics.HostCounters counters;
    private final Executor retiredPoolCloser;
    private final Executor prewarmer;
    private final AtomicReference<Life> life = new AtomicReference<>(Life.NEW);
    /**
     * Whether the pool was renewed since the host last went down, so recovery does not renew it twice. Not part of
     * {@link Life}: it is renewal bookkeeping, set and read by the host's tracker thread and the prewarmer.
     */
    private volatile boolean renewedSinceDown;
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicReference<Generation> current = new AtomicReference<>();
    /** Generations a renewal replaced while connections of theirs were lent: each closes when its last comes back. */
    private final Set<Generation> retiring = ConcurrentHashMap.newKeySet();
    private final Set<Lease> lent = ConcurrentHashMap.newKeySet();
    /** The most connections lent at once since {@link #peakBusySinceAsked} last read it. */
    private final AtomicInteger peakLent = new AtomicInteger();
    /** Marks {@link #onClose} once the pool closed for good. */
    private static final Runnable CLOSED_ALREADY = () -> { };
    /** Runs once when the pool is closed for good (its JMX MBean goes); see {@link #whenClosed}. */
    private final AtomicReference<Runnable> onClose = new AtomicReference<>();

    public HostPool(HostSpec host, Role role, String name, PoolFactory factory, ClusterMetrics metrics,
                    Executor retiredPoolCloser, Executor prewarmer) {
        this(host, role, false, name, factory, metrics, retiredPoolCloser, prewarmer);
    }

    /**
     * A direct writer pool on a host of the read list ({@code inRecoveryToo}): its connections may be opened while the
     * host is still a standby, so the one that serves the first direct write exists before the promotion. Nothing is
     * lent from it unless the host answers as the primary on the newest timeline (checked before and after each
     * borrow, see {@link WriteRouter}), and a session opened on a standby takes writes once that standby is promoted.
     */
    public static HostPool direct(HostSpec host, String name, PoolFactory factory, ClusterMetrics metrics,
                                  Executor retiredPoolCloser, Executor prewarmer) {
        return new HostPool(host, Role.WRITER, true, name, factory, metrics, retiredPoolCloser, prewarmer);
    }

    private HostPool(HostSpec host, Role role, boolean inRecoveryToo, String name, PoolFactory factory,
                     ClusterMetrics metrics, Executor retiredPoolCloser, Executor prewarmer) {
        this.host = host;
        this.role = role;
        this.inRecoveryToo = inRecoveryToo;
        this.name = name;
        this.factory = factory;
        this.counters = metrics.host(role, host);
        this.retiredPoolCloser = retiredPoolCloser;
        this.prewarmer = prewarmer;
        current.set(new Generation(newSource()));
    }

    public HostSpec host() {
        return host;
    }

    public Role role() {
        return role;
    }

    /** The HikariCP pool name, e.g. {@code pgflip-orders-reader-1}: the same after a renewal. */
    public String name() {
        return name;
    }

    /** The name HikariCP has for the pool serving now (for tests: it must be {@link #name()}). */
    String currentPoolName() {
        return current.get().source.poolName();
    }

    /** The connections of the generation serving now, as its pool counts them. */
    public PoolStatus status() {
        return current.get().source.status();
    }

    /** Callers waiting inside the generation serving now for a connection. */
    public int threadsAwaiting() {
        return current.get().source.threadsAwaiting();
    }

    /** {@code action} runs once, when this pool is closed for good (at once if it already is). */
    void whenClosed(Runnable action) {
        if (!onClose.compareAndSet(null, action)) {
            action.run();
        }
    }

    private void reportClosed() {
        Runnable action = onClose.getAndSet(CLOSED_ALREADY);
        if (action != null && action != CLOSED_ALREADY) {
            action.run();
        }
    }

    /** Connections lent out now: the load figure for least-busy reader selection. */
    public int busy() {
        return lent.size();
    }

    /**
     * The most connections lent at once since the last call (or since the pool was made), then counts again from those
     * lent now: how many callers were using this pool, even after a failure closed their connections (HikariCP drops a
     * broken connection at once, so its own count is 0 by the time the host is found down).
     */
    int peakBusySinceAsked() {
        return peakLent.getAndSet(lent.size());
    }

    /**
     * A connection, waiting at most {@code timeoutMs} (capped at one slice) inside HikariCP. A retiring or closed pool
     * refuses at once, without waiting, and the caller borrows elsewhere.
     */
    public Lease borrow(long timeoutMs) throws SQLException {
        refuseUnlessOpen(life.get());
        Generation from = current.get();
        Connection c = from.source.connection(Math.max(1, Math.min(timeoutMs, BORROW_SLICE_MS)));
        if (!from.lend()) {
            // Renewed and closed while the borrow waited: the connection went with its pool.
            c.close();
            throw new SQLTransientConnectionException("pgflip: " + this + " was renewed; borrow again", "08003");
        }
        Life now;
        do {
            now = life.get();
            if (now.stage() != Stage.OPEN) {
                // Retired while the borrow waited: it is about to be closed, and HikariCP's close aborts what it has
                // lent, so a statement running then would fail although it may have committed.
                c.close();
                giveBack(from);
                refuseUnlessOpen(now);
            }
        } while (!life.compareAndSet(now, now.borrowed()));
        Lease lease = new Lease(this, c, from);
        lent.add(lease);
        int busy = lent.size();
        if (busy > peakLent.get()) {
            peakLent.accumulateAndGet(busy, Math::max);
        }
        counters.routed();
        return lease;
    }

    private void refuseUnlessOpen(Life now) throws SQLTransientConnectionException {
        if (now.stage() == Stage.RETIRING) {
            throw new SQLTransientConnectionException("pgflip: " + this + " was retired; borrow again", "08003");
        }
        if (now.stage() == Stage.CLOSED) {
            throw new SQLTransientConnectionException("pgflip: " + this + " is closed; borrow again", "08003");
        }
    }

    void returned(Lease lease) {
        // Only the first return of a lease counts: a lease may be closed twice (given back unused, then closed).
        if (!lent.remove(lease)) {
            return;
        }
        if (lease.generation() != null) {
            giveBack(lease.generation());
        }
        if (closedBy(Life::returned)) {
            closeSource();
        }
    }

    private void giveBack(Generation g) {
        if (g.giveBack()) {
            retiring.remove(g);
            retiredPoolCloser.execute(g.source::close);
        }
    }

    /** Applies {@code change} atomically; true if it is the change that closed the pool (by its retirement). */
    private boolean closedBy(UnaryOperator<Life> change) {
        Life before;
        Life after;
        do {
            before = life.get();
            after = change.apply(before);
        } while (!life.compareAndSet(before, after));
        return before.stage() != Stage.CLOSED && after.stage() == Stage.CLOSED;
    }

    private void closeSource() {
        ConnectionSource source = current.get().source;
        retiredPoolCloser.execute(source::close);
        reportClosed();
    }

    /**
     * Closes the pool once no connection of it is lent, without cutting those that are: HikariCP's own close aborts
     * active connections, which is right for a dead host and wrong for a healthy primary that merely stops being the
     * route (a direct writer pool when the floating IP has caught up). Idle connections go at once.
     */
    public void closeWhenIdle() {
        evictIdle();
        if (closedBy(Life::retired)) {
            closeSource();
        }
    }

    /** Drops every idle connection now and marks in-use ones to be closed when returned (HikariCP soft eviction). */
    public void evictIdle() {
        if (current.get().source.evictIdle()) {
            counters.evicted();
        }
    }

    /** Aborts every lent connection so callers blocked on a silent host fail now instead of at a socket timeout. */
    public int abortInFlight() {
        int n = 0;
        for (Lease lease : lent) {
            if (lease.abort()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Renews the pool and opens one connection in the background, while the monitor is still checking the host: the
     * host accepts TCP again after an outage, so the pool's connect overlaps the monitor's probe instead of following
     * it. If that connection cannot be opened (not a primary yet), the pool is renewed again when the host is usable.
     */
    public void prewarm() {
        renew();
        warm(() -> renewedSinceDown = false);
    }

    /** Opens one connection in the background and returns it to the pool idle; {@code onFailure} runs if it cannot. */
    public void warm(Runnable onFailure) {
        warm(1, onFailure);
    }

    /**
     * Opens {@code connections} connections in the background, one after another, and returns them to the pool idle
     * together (held until the last is open, so the pool cannot hand the first back for the second);
     * {@code onFailure} runs if one cannot be opened.
     */
    public void warm(int connections, Runnable onFailure) {
        ConnectionSource source = current.get().source;
        prewarmer.execute(() -> {
            java.util.List<Connection> opened = new java.util.ArrayList<>();
            try {
                while (opened.size() < connections) {
                    opened.add(source.connection(BORROW_SLICE_MS));
                }
                log.debug("pgflip host={} role={} pool={} prewarmed ({} connection(s))", host, role.label(), name,
                        opened.size());
            } catch (SQLException e) {
                log.debug("pgflip host={} role={} pool={} not prewarmed beyond {} connection(s): {}", host,
                        role.label(), name, opened.size(), e.getMessage());
                onFailure.run();
            } finally {
                for (Connection c : opened) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // back to the pool, or discarded by it: either way nothing is leaked
                    }
                }
            }
        });
    }

    /**
     * The host stopped being usable: the next recovery needs a fresh pool, and what the pool serving now has lent may
     * be on a server the endpoint no longer leads to (a replaced primary), so its renewal cuts them.
     */
    public void markDown() {
        markDown(true);
    }

    /**
     * The same; {@code cutLent} false when what it has lent is held ({@link InFlightHolds}): its renewal then lets them
     * finish, and the hold aborts them if they may be on a replaced primary.
     */
    public void markDown(boolean cutLent) {
        renewedSinceDown = false;
        if (cutLent) {
            current.get().cutOnRetire();
        }
    }

    /** Renews the pool when becoming usable, unless a prewarm already did during this outage. */
    public void renewIfStale() {
        if (!renewedSinceDown) {
            renew();
        }
    }

    /**
     * Replaces the pool by a fresh one (see the class comment). A generation that served when the host went unusable
     * closes at once, aborting what it lent: those sessions may be on a replaced primary. One made since (by a
     * prewarm during the outage) lends no more, drops its idle connections, and closes once none of its connections is
     * lent: a renewal can follow borrows from it, since the tracker lets waiting borrowers in when the host becomes
     * usable before its listeners renew a pool whose prewarm failed, and closing it at once cut a COMMIT on the
     * healthy new primary (seen in a switchover drill).
     */
    public void renew() {
        if (life.get().stage() == Stage.CLOSED) {
            return;
        }
        renewedSinceDown = true;
        Generation old = current.getAndSet(new Generation(newSource()));
        if (old.closeIfCut()) {
            retiredPoolCloser.execute(old.source::close);
            return;
        }
        old.source.evictIdle();
        retiring.add(old);
        if (old.retire()) {
            retiring.remove(old);
            retiredPoolCloser.execute(old.source::close);
        }
        log.debug("pgflip host={} role={} pool={} renewed generation={}", host, role.label(), name, generation.get());
    }

    private ConnectionSource newSource() {
        generation.incrementAndGet();
        return factory.open(host, role, inRecoveryToo, name);
    }

    /** Closes the pool now, aborting what it has lent; every later borrow fails at once. */
    @Override
    public void close() {
        life.updateAndGet(Life::closed);
        current.get().source.close();
        retiring.forEach(g -> g.source.close());
        retiring.clear();
        reportClosed();
    }

    @Override
    public String toString() {
        return name + " (" + host + ")";
    }

    /** One generation of the pool, and how many of its connections are lent; once retired, it lends no more. */
    static final class Generation {
        final ConnectionSource source;
        private int lent;
        private boolean retired;
        private boolean closed;
        /** It served when the host went unusable: its renewal closes it at once. */
        private boolean cut;

        Generation(ConnectionSource source) {
            this.source = source;
        }

        /** Counts one lent; false when the generation was already closed (its connections went with it). */
        synchronized boolean lend() {
            if (closed) {
                return false;
            }
            lent++;
            return true;
        }

        /** One came back; true when that makes a retired generation due to close (exactly once). */
        synchronized boolean giveBack() {
            lent--;
            return closeIfDue();
        }

        synchronized void cutOnRetire() {
            cut = true;
        }

        /** Closed now when it served when the host went unusable; true if so (its source must then be closed). */
        synchronized boolean closeIfCut() {
            if (!cut || closed) {
                return false;
            }
            closed = true;
            retired = true;
            return true;
        }

        /** No more lending from it; true when it is due to close now (exactly once). */
        synchronized boolean retire() {
            retired = true;
            return closeIfDue();
        }

        private boolean closeIfDue() {
            if (retired && lent == 0 && !closed) {
                closed = true;
                return true;
            }
            return false;
        }
    }
}
