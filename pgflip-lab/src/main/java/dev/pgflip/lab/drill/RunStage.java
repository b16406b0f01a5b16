package dev.pgflip.lab.drill;

import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.Progress;
import java.util.Optional;

/**
 * Where a run stands when a fault takes its later steps ({@link FaultScenario#afterRecovery}).
 *
 * @param recovered for a fault with a failover: every stack wrote to a standby and the floating IP answered from the
 *     new primary within the recovery timeout; for the others: the writes went on (or were not waited for)
 * @param promoted for a fault with a failover, the standby every stack wrote to after the fault (repmgr promotes the
 *     most advanced, which need not be {@link RunStart#standby()}), even if the floating IP did not follow it; empty
 *     when the fault has no failover or no standby took the writes in time
 */
record RunStage(int run, RunStart start, RunLoad load, long faultMs, boolean recovered, Optional<LabNode> promoted,
                Progress progress) {

    RunStage {
        if (promoted.isPresent() && !start.standbys().contains(promoted.get())) {
            throw new IllegalArgumentException(promoted.get().name() + " is no standby of this run: "
                    + start.standbyNames());
        }
    }

    /** The new primary once the failover completed (writes on it, the floating IP answering); empty otherwise. */
    Optional<LabNode> newPrimary() {
        return recovered ? promoted : Optional.empty();
    }

    void step(String format, Object... args) {
        progress.step("run " + run + ": " + format, args);
    }
}
