package dev.pgflip.jdbc;

import dev.pgflip.jdbc.internal.Cluster;
import dev.pgflip.jdbc.internal.Deadline;
import dev.pgflip.jdbc.internal.PropertiesBinding;
import dev.pgflip.jdbc.internal.RoutingConnection;
import dev.pgflip.jdbc.internal.TransactionRunner;
import java.io.Closeable;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * A cluster-aware {@link DataSource}: writes through the write endpoint (the floating IP), reads from healthy standbys,
 * and rides through failovers.
 *
 * <pre>{@code
 * ClusterDataSource ds = ClusterDataSource.builder()
 *     .name("orders")                                 // pools pgflip-orders-writer, pgflip-orders-reader-1, ...
 *     .write("198.18.0.100:5432")                     // the FLIP
 *     .read("198.18.0.12:5432", "198.18.0.11:5432")   // standby first, primary as last resort
 *     .database("postgres").user("postgres").password("123456")
 *     .maxPoolSize(10).idleTimeout(Duration.ofSeconds(30))
 *     .build();
 * long id = ds.inTransaction(c -> insertCountry(c, "Portugal"));   // retried on failover, never after COMMIT
 * try (Connection r = ds.getReadConnection()) { ... }              // a standby while one is healthy
 * }</pre>
 *
 * <p>Routing by intent: a connection from {@link #getConnection()} on which {@code setReadOnly(true)} is called before
 * its first statement goes to a reader; otherwise it goes to the writer and stays there. Writer connections are
 * always on a primary (pgjdbc {@code targetServerType=primary} plus a monitor checking {@code pg_is_in_recovery()}).
 */
public final class ClusterDataSource implements DataSource, Closeable {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(ClusterDataSource.class);

    private final ClusterConfig config;
    private final Cluster cluster;
    private final TransactionRunner runner;
    /** Set by {@link #setLoginTimeout}; 0 leaves the configured connectionTimeout in force. */
    private volatile int loginTimeoutSeconds;

    ClusterDataSource(ClusterConfig config) {
        this.config = config;
        this.cluster = new Cluster(config);
        this.runner = new TransactionRunner(deadline -> RoutingConnection.create(
                readOnly -> cluster.borrowWriter(deadline), cluster, false), config.retryDeadline(), cluster.metrics());
        log.info("pgflip starting: {} {}", cluster.names().label(), config);
        try {
            cluster.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cluster.close();
            throw new IllegalStateException("pgflip: interrupted while starting", e);
        }
    }

    public static ClusterConfig.Builder builder() {
        return new ClusterConfig.Builder();
    }

    /**
     * A data source from properties, for frameworks. Keys: {@code pgflip.name} (optional, see
     * {@link ClusterConfig.Builder#name}), {@code pgflip.write} (host[:port]), {@code pgflip.read}
     * (comma list), {@code pgflip.database}, {@code pgflip.user}, {@code pgflip.password}, {@code pgflip.pool.max},
     * {@code pgflip.pool.min-idle}, {@code pgflip.pool.idle-timeout}, {@code pgflip.pool.connection-timeout},
     * {@code pgflip.pool.max-lifetime}, {@code pgflip.pool.keepalive-time}, {@code pgflip.pool.leak-detection-threshold}
     * (HikariCP's names are accepted too: {@code pgflip.pool.maximumPoolSize}, {@code minimumIdle},
     * {@code idleTimeout}, {@code connectionTimeout}, {@code maxLifetime}, {@code keepaliveTime},
     * {@code leakDetectionThreshold}),
     * {@code pgflip.max-replica-lag}, {@code pgflip.retry-deadline}, {@code pgflip.read-your-writes-timeout},
     * {@code pgflip.probe-interval}, {@code pgflip.probe-timeout}, {@code pgflip.down-after-probe-failures} (see
     * {@link ClusterConfig.Builder#downAfterProbeFailures}), {@code pgflip.reader-selection}
     * (ROUND_ROBIN|LEAST_BUSY), {@code pgflip.direct-writes} (true|false, see
     * {@link ClusterConfig.Builder#directWrites}), {@code pgflip.jmx} (true|false, see {@link ClusterConfig.Builder#jmx}),
     * {@code pgflip.property.<pgjdbc name>} (pass-through), {@code pgflip.hikari.<HikariCP name>} (pass-through of
     * HikariCP's other settings, see {@link ClusterConfig.Builder#hikari}). Durations as
     * Spring Boot writes them: a whole number and a unit, ns, us, ms, s, m, h or d ({@code 500ms}, {@code 30s},
     * {@code 1h}), ISO-8601 ({@code PT30S}) or a whole number of milliseconds ({@code 30000}). Keys outside
     * {@code pgflip.} are ignored; an unknown {@code pgflip.*} key is an error.
     */
    public static ClusterDataSource fromProperties(Properties properties) {
        return PropertiesBinding.builder(properties).build();
    }

    public ClusterConfig config() {
        return config;
    }

    /**
     * The name in this data source's pool and thread names ({@code pgflip-<name>-writer}): the configured
     * {@code pgflip.name}, else the number it was given (1 for the first data source in the JVM, then 2, ...).
     */
    public String name() {
        return cluster.names().dataSource();
    }

    /**
     * A connection with writer intent; it borrows at its first statement, from a reader if {@code setReadOnly(true)}
     * was called first. Waits at most {@code connectionTimeout} (or the {@linkplain #setLoginTimeout login timeout})
     * for a writable primary.
     *
     * @throws SQLException SQLState 08003 at once after {@link #close()}
     */
    @Override
    public Connection getConnection() throws SQLException {
        cluster.ensureOpen();
        Deadline deadline = Deadline.after(borrowTimeout());
        return RoutingConnection.create(readOnly -> readOnly ? cluster.borrowReader(deadline)
                : cluster.borrowWriter(deadline), cluster, false);
    }

    /** A read-only connection: a healthy standby when there is one, else a primary in the read list, else the writer. */
    public Connection getReadConnection() throws SQLException {
        cluster.ensureOpen();
        Deadline deadline = Deadline.after(borrowTimeout());
        return RoutingConnection.create(readOnly -> cluster.borrowReader(deadline), cluster, true);
    }

    /** Runs {@code work} in a writer transaction, retried on connection failure before COMMIT within retryDeadline. */
    public void inTransaction(ConnectionConsumer work) throws SQLException {
        cluster.ensureOpen();
        runner.run(c -> {
            work.accept(c);
            return null;
        }, null);
    }

    /**
     * Runs {@code work} in a writer transaction and returns its value. A connection failure before COMMIT runs it
     * again on a fresh connection (so it must be safe to repeat up to that point); a failure during COMMIT throws
     * {@link AmbiguousCommitException}; no attempt starts after {@code retryDeadline}.
     */
    public <T> T inTransaction(ConnectionFunction<T> work) throws SQLException {
        cluster.ensureOpen();
        return runner.run(work, null);
    }

    /**
     * Every host as the monitors last saw it (state, replay lag, last failure): for health checks. Takes no connection
     * and never blocks.
     */
    public ClusterStatus status() {
        return cluster.status();
    }

    /**
     * The writer pool's connections now (the pool of the write endpoint, {@code pgflip-<name>-writer}), as HikariCP
     * counts them; what Spring Boot's {@code jdbc.connections.*} report. Takes no connection and never blocks.
     */
    public PoolStatus writerPool() {
        return cluster.writer().pool().status();
    }

    /**
     * Forgets the newest timeline pgflip has seen and takes it again from the hosts that answer as primaries now.
     *
     * <p>pgflip refuses a primary on an older timeline than the newest it has seen (an old primary that nothing
     * fenced, whose writes would be lost at its rejoin), and that mark only rises. When a cluster's timelines start
     * over under a new {@code system_identifier} (restored into a fresh {@code initdb}, {@code pg_upgrade}) the mark
     * restarts by itself. Call this when they started over under the same identifier — the cluster was restored from a
     * base backup of itself to an older timeline — or when the user may not call {@code pg_control_system()} (logged
     * once at start): {@link #status()} then shows the new primary as {@code STALE_PRIMARY} and writes fail with
     * "an old primary on an older timeline than another node's".
     *
     * <p>The new mark is the newest timeline among the hosts answering as primaries at this moment, so an old primary
     * still up beside a newer one stays refused. Every host is re-classified and re-probed at once; the call does not
     * wait for the probes.
     *
     * <pre>{@code
     * if (ds.status().writer().state() == HostState.STALE_PRIMARY && clusterWasRestoredFromBackup) {
     *     ds.resetTimeline();
     * }
     * }</pre>
     */
    public void resetTimeline() {
        cluster.resetTimeline();
    }

    /** A read-your-writes session: reads after its commits see them (a caught-up standby, else the writer). */
    public ReadYourWrites readYourWrites() {
        return new ReadYourWrites(cluster, runner, config, this::borrowTimeout, null);
    }

    /** A session resumed from a {@link ReadYourWrites#token()} carried by the application (e.g. in a cookie). */
    public ReadYourWrites readYourWrites(String token) {
        return new ReadYourWrites(cluster, runner, config, this::borrowTimeout, token);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("pgflip: the user is fixed by the configuration (pgflip.user)");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // pgflip logs through SLF4J.
    }

    /**
     * The JDBC name for {@code connectionTimeout} ({@code pgflip.pool.connection-timeout}): how long
     * {@link #getConnection()}, {@link #getReadConnection()} and a read-your-writes read wait at most for a host, now
     * in whole seconds. 0 goes back to the configured {@code connectionTimeout}. {@code inTransaction} keeps its own
     * bound, {@code retryDeadline}; the pgjdbc connect and login timeouts of each pooled connection are not changed.
     *
     * <pre>{@code
     * ds.setLoginTimeout(3);   // a request that cannot get a writer within 3 s fails instead of waiting 10 s
     * }</pre>
     *
     * @throws SQLException if {@code seconds} is negative (SQLState 22023)
     */
    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        if (seconds < 0) {
            throw new SQLException("pgflip: loginTimeout = " + seconds + ": expected seconds >= 0 (0: the configured"
                    + " pgflip.pool.connection-timeout, " + config.connectionTimeout().toMillis() + " ms)", "22023");
        }
        loginTimeoutSeconds = seconds;
    }

    /**
     * The borrow wait in force, in seconds: the value given to {@link #setLoginTimeout}, else the configured
     * {@code connectionTimeout} rounded up to whole seconds (never 0, which JDBC reads as "no timeout").
     */
    @Override
    public int getLoginTimeout() {
        int seconds = loginTimeoutSeconds;
        return seconds > 0 ? seconds : (int) Math.max(1, (config.connectionTimeout().toMillis() + 999) / 1000);
    }

    private Duration borrowTimeout() {
        int seconds = loginTimeoutSeconds;
        return seconds > 0 ? Duration.ofSeconds(seconds) : config.connectionTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("pgflip logs through SLF4J");
    }

    /**
     * This data source as any type it is ({@code ClusterDataSource}, {@code DataSource}, {@code Closeable}, ...).
     * Nothing behind it is handed out: its HikariCP pools are replaced by fresh ones after every outage, so a reference
     * to one would go stale, and resizing or closing it would act behind pgflip's back. Their figures are in
     * {@link #status()} and the {@code pgflip.*} meters.
     *
     * @throws SQLException for any other type
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (isWrapperFor(iface)) {
            return iface.cast(this);
        }
        String type = iface == null ? "null" : iface.getName();
        throw new SQLException("pgflip: ClusterDataSource is not and wraps no " + type + ": it unwraps only to the"
                + " types it implements (its HikariCP pools are renewed after every outage, so none is handed out;"
                + " see status() and the pgflip.* meters)");
    }

    /** Whether this data source is a {@code iface}; see {@link #unwrap}. */
    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface != null && iface.isInstance(this);
    }

    /**
     * Stops the monitors and closes every pool. From then on every borrow ({@code getConnection},
     * {@code getReadConnection}, {@code inTransaction}, read-your-writes sessions, connections handed out before but
     * not used yet) fails at once with SQLState 08003 instead of waiting for a writer. Closing again does nothing.
     */
    @Override
    public void close() {
        cluster.close();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return cluster.isClosed();
    }
}
