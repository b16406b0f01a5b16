package dev.pgflip.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import com.zaxxer.hikari.util.PropertyElf;
import dev.pgflip.jdbc.ClusterConfig;
import dev.pgflip.jdbc.HostSpec;
import dev.pgflip.jdbc.PoolStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/** The production {@link PoolFactory}: one HikariCP pool per generation, configured from the data source's settings. */
public final class HikariPoolFactory implements PoolFactory {
    private final ClusterConfig config;
    /** HikariCP's own metrics, or null for none. */
    private final MetricsTrackerFactory trackers;

    public HikariPoolFactory(ClusterConfig config) {
        this(config, null);
    }

    /** @param trackers HikariCP's metrics for every pool ({@link ClusterMetrics#poolTrackers()}), or null */
    public HikariPoolFactory(ClusterConfig config, MetricsTrackerFactory trackers) {
        this.config = config;
        this.trackers = trackers;
    }

    @Override
    public ConnectionSource open(HostSpec host, Role role, boolean inRecoveryToo, String name) {
        return new HikariSource(new HikariDataSource(hikariConfig(host, role, inRecoveryToo, name)));
    }

    /** The HikariCP settings of one pool; the pool is not started. */
    HikariConfig hikariConfig(HostSpec host, Role role, boolean inRecoveryToo, String name) {
        HikariConfig hc = new HikariConfig();
        // One name for every generation (only the log tells them apart): one series per pool on a dashboard. Should
        // HikariCP's MBeans be turned on, the old generation must be unregistered before the new one registers.
        hc.setPoolName(name);
        hc.setJdbcUrl(host.jdbcUrl(config.database()));
        hc.setUsername(config.user());
        if (config.password() != null) {
            hc.setPassword(config.password().reveal());
        }
        hc.setMaximumPoolSize(config.maxPoolSize());
        hc.setMinimumIdle(config.minIdle());
        hc.setIdleTimeout(config.idleTimeout().toMillis());
        hc.setMaxLifetime(config.maxLifetime().toMillis());
        hc.setKeepaliveTime(config.keepaliveTime().toMillis());
        hc.setLeakDetectionThreshold(config.leakDetectionThreshold().toMillis());
        hc.setConnectionTimeout(Math.max(250, Math.min(HostPool.BORROW_SLICE_MS, config.connectionTimeout().toMillis())));
        hc.setValidationTimeout(250);
        // Readers' connections are read-only from the start (pgflip chooses readOnly per role, see HikariPassThrough):
        // a read lease then needs no setReadOnly(true) and no reset by HikariCP when it comes back, two calls into
        // pgjdbc per read (RoutingConnection sets it only where it differs: a read that fell back to the writer).
        hc.setReadOnly(role == Role.READER);
        // Start without a connection: a host that is down at start is the monitor's business, not build()'s.
        hc.setInitializationFailTimeout(-1);
        hc.setDataSourceProperties(PgjdbcProperties.forPool(config, role, inRecoveryToo));
        if (trackers != null) {
            hc.setMetricsTrackerFactory(trackers);
        }
        if (!config.hikari().isEmpty()) {
            Properties settings = new Properties();
            settings.putAll(config.hikari());
            PropertyElf.setTargetFromProperties(hc, settings);
        }
        return hc;
    }

    record HikariSource(HikariDataSource ds) implements ConnectionSource {

        @Override
        public Connection connection(long timeoutMillis) throws SQLException {
            // HikariPool.getConnection(timeout) is public and lets each caller wait only what its deadline allows;
            // HikariDataSource.getConnection() would always wait the pool's whole connectionTimeout.
            return ds.getHikariPoolMXBean() instanceof HikariPool pool ? pool.getConnection(timeoutMillis)
                    : ds.getConnection();
        }

        @Override
        public boolean evictIdle() {
            var mx = ds.getHikariPoolMXBean();
            if (mx == null) {
                return false;
            }
            mx.softEvictConnections();
            return true;
        }

        @Override
        public String poolName() {
            return ds.getPoolName();
        }

        @Override
        public PoolStatus status() {
            var mx = ds.getHikariPoolMXBean();
            return new PoolStatus(ds.getPoolName(), mx == null ? 0 : mx.getActiveConnections(),
                    mx == null ? 0 : mx.getIdleConnections(), ds.getMaximumPoolSize(), ds.getMinimumIdle());
        }

        @Override
        public int threadsAwaiting() {
            var mx = ds.getHikariPoolMXBean();
            return mx == null ? 0 : mx.getThreadsAwaitingConnection();
        }

        @Override
        public void close() {
            ds.close();
        }
    }
}
