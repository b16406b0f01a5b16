package dev.pgflip.agent.config;

import java.time.Duration;

/**
 * {@code replication}: synchronous replication that {@code pgflip watch} keeps honest on the primary. With a standby
 * streaming, {@code synchronous_standby_names} is set to the configured value, so an acknowledged commit is on two
 * nodes and survives a failover; with none streaming for {@code degrade_after} (at once after a promotion, when no
 * other copy can exist) it is emptied, so writes never block forever. The price, documented: commits acknowledged
 * while degraded live on one node only.
 */
public record ReplicationConfig(String synchronousStandbyNames, Duration degradeAfter) {
    public static final Duration DEFAULT_DEGRADE_AFTER = Duration.ofSeconds(1);
}
