package dev.pgflip.lab.drill;

import dev.pgflip.lab.Progress;

/**
 * Where a run stands when a fault takes its later steps ({@link FaultScenario#afterRecovery}).
 *
 * @param recovered for a fault with a failover: every stack wrote to the standby and the floating IP answered from it
 *     within the recovery timeout; for the others: the writes went on (or were not waited for)
 */
record RunStage(int run, RunStart start, RunLoad load, long faultMs, boolean recovered, Progress progress) {

    void step(String format, Object... args) {
        progress.step("run " + run + ": " + format, args);
    }
}
