package dev.pgflip.jdbc.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The names of one data source's HikariCP pools and of its threads, all starting {@code pgflip-<name>-}:
 * {@code pgflip-orders-writer}, {@code pgflip-orders-reader-<n>} ({@code n}: the host's place in the read list, from 1)
 * and {@code pgflip-orders-direct-<n>} (writes straight to reader n's host during a failover).
 *
 * <p>A pool keeps its name when it is renewed after an outage, so a dashboard or JMX client sees one series per pool.
 * The name is made only of the characters {@code ClusterConfig} allows ({@code A-Z a-z 0-9 . _ -}), so it is a valid
 * JMX ObjectName value: HikariCP refuses a pool name with ':' once its MBeans are on, and ',' '=' '*' '?' '"' break
 * the ObjectName. HikariCP names its threads after the pool ({@code pgflip-orders-writer:housekeeper}) and pgflip its
 * own the same way ({@code pgflip-orders-writer:monitor 198.18.0.100:5432}, {@code pgflip-orders:pool-prewarmer}), so
 * the threads of two data sources never share a name.
 *
 * @param dataSource the configured name, or a number unique within the JVM
 */
public record PoolNames(String dataSource) {
    private static final AtomicInteger UNNAMED = new AtomicInteger();

    /** The configured name, or (null) the next of 1, 2, 3, ... as HikariCP numbers HikariPool-1, HikariPool-2. */
    public static PoolNames of(String configured) {
        return new PoolNames(configured != null ? configured : Integer.toString(UNNAMED.incrementAndGet()));
    }

    /** {@code pgflip-<name>}: how logs and errors name the data source. */
    public String label() {
        return "pgflip-" + dataSource;
    }

    public String writer() {
        return label() + "-writer";
    }

    /** The pool of the {@code n}th host of the read list (from 1). */
    public String reader(int n) {
        return label() + "-reader-" + n;
    }

    /** The writer pool on the {@code n}th host of the read list (from 1), used while writes go there directly. */
    public String direct(int n) {
        return label() + "-direct-" + n;
    }

    /** A thread of the data source as a whole, e.g. {@code pgflip-orders:pool-prewarmer}. */
    public String thread(String job) {
        return label() + ":" + job;
    }

    /** The thread watching the host of pool {@code pool}, as HikariCP names a pool's threads. */
    public static String monitor(String pool, Object host) {
        return pool + ":monitor " + host;
    }
}
