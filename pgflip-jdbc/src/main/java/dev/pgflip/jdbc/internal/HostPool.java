package dev.pgflip.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.HostSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HikariCP pool of one host in one role, plus the connections pgflip has lent out of it (so a monitor can abort
 * them when the host goes silent). After an outage the pool is replaced by a fresh one ({@link #renew()}): HikariCP's
 * connection adder backs off 10 ms doubling to 5 s while a host refuses connections, so the old pool could sleep
 * ~1.3-2.6 s after the new primary already answers; a new pool starts at the bottom of that back-off.
 */
public final class HostPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostPool.class);
    /** The longest one wait inside HikariCP; callers loop on their own deadline so they notice state changes. */
    static final long BORROW_SLICE_MS = 1000;

    private final HostSpec host;
    private final Role role;
    /** Whether connections may be opened to a server in recovery (see {@link #direct}). */
    private final boolean inRecoveryToo;
    /** The same for every generation of the pool: see {@link PoolNames}. */
    private final String name;
    private final ClusterConfig config;
    private final ClusterMetrics.HostCounters counters;
    private final Executor retiredPoolCloser;
    private final Executor prewarmer;
    /** Whether the pool was renewed since the host last went down, so recovery does not renew it twice. */
    private volatile boolean renewedSinceDown;
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicReference<HikariDataSource> current = new AtomicReference<>();
    private final Set<Lease> lent = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Set by {@link #closeWhenIdle}: the last lent connection's return closes the pool. */
    private volatile Executor closeWhenIdleOn;

    public HostPool(HostSpec host, Role role, String name, ClusterConfig config, ClusterMetrics metrics,
                    Executor retiredPoolCloser, Executor prewarmer) {
        this(host, role, false, name, config, metrics, retiredPoolCloser, prewarmer);
    }

    /**
     * A direct writer pool on a host of the read list ({@code inRecoveryToo}): its connections may be opened while the
     * host is still a standby, so the one that serves the first direct write exists before the promotion. Nothing is
     * lent from it unless the host answers as the primary on the newest timeline (the Cluster checks before and after
     * each borrow), and a session opened on a standby takes writes once that standby is promoted.
     */
    public static HostPool direct(HostSpec host, String name, ClusterConfig config, ClusterMetrics metrics,
                                  Executor retiredPoolCloser, Executor prewarmer) {
        return new HostPool(host, Role.WRITER, true, name, config, metrics, retiredPoolCloser, prewarmer);
    }

    private HostPool(HostSpec host, Role role, boolean inRecoveryToo, String name, ClusterConfig config,
                     ClusterMetrics metrics, Executor retiredPoolCloser, Executor prewarmer) {
        this.host = host;
        this.role = role;
        this.inRecoveryToo = inRecoveryToo;
        this.name = name;
        this.config = config;
        this.counters = metrics.host(role, host);
        this.retiredPoolCloser = retiredPoolCloser;
        this.prewarmer = prewarmer;
        current.set(newPool());
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
        return current.get().getPoolName();
    }

    /** Connections lent out now: the load figure for least-busy reader selection. */
    public int busy() {
        return lent.size();
    }

    /** A connection, waiting at most {@code timeoutMs} (capped at one slice) inside HikariCP. */
    public Lease borrow(long timeoutMs) throws SQLException {
        HikariDataSource ds = current.get();
        long wait = Math.max(1, Math.min(timeoutMs, BORROW_SLICE_MS));
        // HikariPool.getConnection(timeout) is public and lets each caller wait only what its deadline allows;
        // HikariDataSource.getConnection() would always wait the pool's whole connectionTimeout.
        Connection c = ds.getHikariPoolMXBean() instanceof HikariPool pool ? pool.getConnection(wait) : ds.getConnection();
        Lease lease = new Lease(this, c);
        synchronized (this) {
            // A retired pool is about to be closed, and HikariCP's close aborts what it has lent: a statement running
            // then would fail although it may have committed. Refused here, the caller borrows elsewhere.
            if (closed || closeWhenIdleOn != null) {
                c.close();
                throw new SQLTransientConnectionException("pgflip: " + this + " was retired; borrow again", "08003");
            }
            lent.add(lease);
        }
        counters.routed();
        return lease;
    }

    void returned(Lease lease) {
        lent.remove(lease);
        closeIfRetiredAndIdle();
    }

    /**
     * Closes the pool once no connection of it is lent, without cutting those that are: HikariCP's own close aborts
     * active connections, which is right for a dead host and wrong for a healthy primary that merely stops being the
     * route (a direct writer pool when the floating IP has caught up). Idle connections go at once.
     */
    public void closeWhenIdle(Executor closer) {
        closeWhenIdleOn = closer;
        evictIdle();
        closeIfRetiredAndIdle();
    }

    private void closeIfRetiredAndIdle() {
        Executor closer = closeWhenIdleOn;
        if (closer == null) {
            return;
        }
        synchronized (this) {
            if (closed || !lent.isEmpty()) {
                return;
            }
            closed = true;
        }
        closer.execute(() -> current.get().close());
    }

    /** Drops every idle connection now and marks in-use ones to be closed when returned (HikariCP soft eviction). */
    public void evictIdle() {
        var mx = current.get().getHikariPoolMXBean();
        if (mx != null) {
            mx.softEvictConnections();
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
        HikariDataSource ds = current.get();
        prewarmer.execute(() -> {
            try (Connection c = ds.getHikariPoolMXBean() instanceof HikariPool pool ? pool.getConnection(BORROW_SLICE_MS)
                    : ds.getConnection()) {
                log.debug("pgflip host={} role={} pool={} prewarmed", host, role.label(), name);
            } catch (SQLException e) {
                log.debug("pgflip host={} role={} pool={} not prewarmed: {}", host, role.label(), name, e.getMessage());
                onFailure.run();
            }
        });
    }

    /** The host stopped being usable: the next recovery needs a fresh pool. */
    public void markDown() {
        renewedSinceDown = false;
    }

    /** Renews the pool when becoming usable, unless a prewarm already did during this outage. */
    public void renewIfStale() {
        if (!renewedSinceDown) {
            renew();
        }
    }

    /** Replaces the HikariCP pool by a fresh one (see the class comment); the old one closes in the background. */
    public void renew() {
        if (closed) {
            return;
        }
        renewedSinceDown = true;
        HikariDataSource old = current.getAndSet(newPool());
        retiredPoolCloser.execute(old::close);
        log.debug("pgflip host={} role={} pool={} renewed generation={}", host, role.label(), name, generation.get());
    }

    private HikariDataSource newPool() {
        HikariConfig hc = new HikariConfig();
        // One name for every generation (only the log tells them apart): one series per pool on a dashboard. Should
        // HikariCP's MBeans be turned on, the old generation must be unregistered before the new one registers.
        hc.setPoolName(name);
        generation.incrementAndGet();
        hc.setJdbcUrl(host.jdbcUrl(config.database()));
        hc.setUsername(config.user());
        if (config.password() != null) {
            hc.setPassword(config.password().reveal());
        }
        hc.setMaximumPoolSize(config.maxPoolSize());
        hc.setMinimumIdle(config.minIdle());
        hc.setIdleTimeout(config.idleTimeout().toMillis());
        hc.setConnectionTimeout(Math.max(250, Math.min(BORROW_SLICE_MS, config.connectionTimeout().toMillis())));
        hc.setValidationTimeout(250);
        // Start without a connection: a host that is down at start is the monitor's business, not build()'s.
        hc.setInitializationFailTimeout(-1);
        hc.setDataSourceProperties(PgjdbcProperties.forPool(config, role, inRecoveryToo));
        return new HikariDataSource(hc);
    }

    @Override
    public void close() {
        closed = true;
        current.get().close();
    }

    @Override
    public String toString() {
        return name + " (" + host + ")";
    }
}
