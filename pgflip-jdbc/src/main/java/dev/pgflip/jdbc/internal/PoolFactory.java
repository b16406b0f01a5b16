package dev.pgflip.jdbc.internal;

import dev.pgflip.jdbc.HostSpec;

/**
 * Opens the connection pool behind one generation of a {@link HostPool}: the seam between pgflip's pool logic
 * (lending, eviction, renewal, retirement) and HikariCP ({@link HikariPoolFactory}). A {@link Cluster} takes one, so
 * tests can replay pool lifecycles, and races between them, with fake pools.
 */
@FunctionalInterface
public interface PoolFactory {

    /**
     * @param inRecoveryToo whether connections may be opened to a server in recovery (a direct writer pool, see
     *     {@link HostPool#direct})
     * @param name the pool's name, the same for every generation (see {@link PoolNames})
     */
    ConnectionSource open(HostSpec host, Role role, boolean inRecoveryToo, String name);
}
