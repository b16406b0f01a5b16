package dev.pgflip.jdbc.internal;

import com.zaxxer.hikari.HikariPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JMX MBean per {@link HostPool}, under the name HikariCP gives its own ({@code com.zaxxer.hikari:type=Pool
 * (pgflip-orders-writer)}), so tools that know HikariCP's MBeans find pgflip's pools. HikariCP's own registration
 * ({@code registerMbeans}) cannot serve: a renewed pool's new generation starts while the old one still holds the
 * name, so HikariCP refuses to register it, and the old one's close then removes the only MBean. This one follows
 * whichever generation serves now, and lives as long as the HostPool.
 */
final class PoolMBeans {
    private static final Logger log = LoggerFactory.getLogger(PoolMBeans.class);
    /** For data sources without JMX: registers nothing. */
    static final PoolMBeans NONE = new PoolMBeans(null);

    private final MBeanServer server;
    /** Which pool holds each name now: a retiring direct pool must not unregister its successor's MBean. */
    private final Map<ObjectName, HostPool> holders = new HashMap<>();

    PoolMBeans(MBeanServer server) {
        this.server = server;
    }

    static PoolMBeans platform() {
        return new PoolMBeans(ManagementFactory.getPlatformMBeanServer());
    }

    static ObjectName objectName(String poolName) {
        try {
            return new ObjectName("com.zaxxer.hikari:type=Pool (" + poolName + ")");
        } catch (JMException e) {
            throw new IllegalArgumentException("pool name " + poolName + " is not valid in a JMX ObjectName", e);
        }
    }

    /** Registers {@code pool}'s MBean, taking the name over from an earlier pool; returns what unregisters it. */
    synchronized Runnable register(HostPool pool) {
        if (server == null) {
            return () -> { };
        }
        ObjectName name = objectName(pool.name());
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new PoolView(pool), name);
            holders.put(name, pool);
        } catch (JMException e) {
            log.warn("pgflip pool={} not registered in JMX: {}", pool.name(), e.toString());
            return () -> { };
        }
        return () -> unregister(name, pool);
    }

    private synchronized void unregister(ObjectName name, HostPool pool) {
        if (holders.get(name) != pool) {
            return;
        }
        holders.remove(name);
        try {
            server.unregisterMBean(name);
        } catch (JMException e) {
            log.debug("pgflip pool={} already gone from JMX: {}", pool.name(), e.toString());
        }
    }

    /** HikariCP's pool MXBean over the generation serving now. */
    record PoolView(HostPool pool) implements HikariPoolMXBean {
        @Override
        public int getIdleConnections() {
            return pool.status().idle();
        }

        @Override
        public int getActiveConnections() {
            return pool.status().active();
        }

        @Override
        public int getTotalConnections() {
            var status = pool.status();
            return status.active() + status.idle();
        }

        @Override
        public int getThreadsAwaitingConnection() {
            return pool.threadsAwaiting();
        }

        @Override
        public void softEvictConnections() {
            pool.evictIdle();
        }

        @Override
        public void suspendPool() {
            throw new UnsupportedOperationException("pgflip does not suspend its pools: it routes around a host itself");
        }

        @Override
        public void resumePool() {
            throw new UnsupportedOperationException("pgflip does not suspend its pools: it routes around a host itself");
        }
    }
}
