package dev.pgflip.agent.node;

/**
 * Whether this primary may act as the cluster's only one: take the floating IP, degrade synchronous replication, lift
 * an isolation fence. A node back from a partition still believing it is primary (repmgr does not fence) must learn
 * that a standby was promoted in its absence; a node that cannot tell must not act as if it knew.
 */
public interface PrimaryGuard {
    PrimaryGuard NONE = () -> new Standing.Sole("no guard configured");

    Standing standing();
}
