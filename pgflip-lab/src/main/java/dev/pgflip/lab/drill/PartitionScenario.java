package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.net.SilentPartition;

/**
 * The primary cut off from the standby and the witness while the application still reaches it: the split brain's
 * setting. The partition is checked once in place (the other nodes get no answer from the node, the application does):
 * one that leaks would measure nothing. It is then held past the moment the old primary can first take writes alone:
 * its walsender notices the silent standby only after {@code wal_sender_timeout}, and only then may its watcher
 * degrade synchronous replication; until then every commit there waits. A shorter run would call the old primary safe
 * for the wrong reason.
 */
final class PartitionScenario implements FaultScenario {
    private static final long MIN_HOLD_MS = 20_000;
    /** After wal_sender_timeout: the watcher's 1 s degrade_after, a few of its ticks, and room to see writes. */
    private static final long AFTER_WAL_SENDER_TIMEOUT_MS = 10_000;
    private static final long MAX_HOLD_MS = 90_000;

    private final Lab lab;
    private long holdMs = MIN_HOLD_MS;

    PartitionScenario(Lab lab) {
        this.lab = lab;
    }

    @Override
    public void inject(LabNode target) {
        holdMs = Math.min(MAX_HOLD_MS, Math.max(MIN_HOLD_MS, SyncSettings.walSenderTimeoutMs(lab, target)
                + AFTER_WAL_SENDER_TIMEOUT_MS));
        new LabFaults(lab).inject(LabFaults.Fault.PARTITION, target);
        // About 2 s (pg_isready's floor); the load and the probes run on their own threads meanwhile.
        new SilentPartition(lab.commands(), lab.topology()).verify(target);
    }

    @Override
    public long holdMs() {
        return holdMs;
    }
}
