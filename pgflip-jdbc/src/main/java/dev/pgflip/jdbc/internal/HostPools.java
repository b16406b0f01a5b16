package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Makes the {@link HostPool}s of one data source over its {@link PoolFactory}, and owns the two background threads
 * they share, named after the data source: the prewarmer (opens a pool's first connection off the caller's and the
 * monitor's thread) and the retired-pool closer (a HikariCP close waits for the pool's own threads, which no caller or
 * monitor should).
 */
final class HostPools implements AutoCloseable {
    private final PoolFactory factory;
    private final ClusterMetrics metrics;
    private final Executor prewarmer;
    private final Executor retiredPoolCloser;
    private final PoolMBeans mbeans;

    HostPools(PoolNames names, PoolFactory factory, ClusterMetrics metrics, PoolMBeans mbeans) {
        this(factory, metrics, Executors.newSingleThreadExecutor(r -> daemon(r, names.thread("pool-prewarmer"))),
                Executors.newSingleThreadExecutor(r -> daemon(r, names.thread("retired-pool-closer"))), mbeans);
    }

    /** With the executors given: tests run the background work on their own thread ({@code Runnable::run}). */
    HostPools(PoolFactory factory, ClusterMetrics metrics, Executor prewarmer, Executor retiredPoolCloser) {
        this(factory, metrics, prewarmer, retiredPoolCloser, PoolMBeans.NONE);
    }

    HostPools(PoolFactory factory, ClusterMetrics metrics, Executor prewarmer, Executor retiredPoolCloser,
              PoolMBeans mbeans) {
        this.factory = factory;
        this.metrics = metrics;
        this.prewarmer = prewarmer;
        this.retiredPoolCloser = retiredPoolCloser;
        this.mbeans = mbeans;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The pool of {@code host} in {@code role}. */
    HostPool member(HostSpec host, Role role, String name) {
        return registered(new HostPool(host, role, name, factory, metrics, retiredPoolCloser, prewarmer));
    }

    /** A direct writer pool on {@code host} of the read list (see {@link HostPool#direct}). */
    HostPool direct(HostSpec host, String name) {
        return registered(HostPool.direct(host, name, factory, metrics, retiredPoolCloser, prewarmer));
    }

    private HostPool registered(HostPool pool) {
        pool.whenClosed(mbeans.register(pool));
        return pool;
    }

    /** Drops pending prewarms; lets the closer finish closing the retired pools, for at most 10 s. */
    @Override
    public void close() {
        if (prewarmer instanceof ExecutorService p) {
            p.shutdownNow();
        }
        if (retiredPoolCloser instanceof ExecutorService closer) {
            closer.shutdown();
            try {
                closer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
