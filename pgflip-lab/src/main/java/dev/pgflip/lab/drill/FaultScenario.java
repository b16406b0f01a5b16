package dev.pgflip.lab.drill;

import dev.pgflip.lab.LabNode;

/**
 * How one kind of fault is injected and what it adds to a run's figures. The run owns the clock and the load; a
 * scenario only acts at the fault, reports what it alone can know, and undoes what a rejoin does not.
 */
interface FaultScenario {
    /** Writes must be back on the new primary within this long of the fault, or the run reports them missing. */
    long DEFAULT_RECOVERY_TIMEOUT_MS = 45_000;

    /** Injects the fault into {@code target}; the run takes the fault's time just before calling this. */
    void inject(LabNode target);

    default long recoveryTimeoutMs() {
        return DEFAULT_RECOVERY_TIMEOUT_MS;
    }

    /**
     * The run goes on at least this long after the fault, even once writes are back: long enough for what must not
     * happen (a failover after a fault on the standby, a partitioned primary taking writes again) to show.
     */
    default long holdMs() {
        return 0;
    }

    /**
     * Fault-specific figures, once writes are back (or the run gave up on them).
     *
     * @param faultMs the fault's time (epoch ms)
     * @param flipMovedMs when the FLIP moved to the new primary, from the fault (null: it did not)
     */
    default ScenarioFigures figures(long faultMs, Long flipMovedMs) {
        return ScenarioFigures.NONE;
    }

    /** After the run, before the failback: undo what rejoining the old primary does not (the emulator's faults). */
    default void cleanUp() {}

    /** What only the scenario knows; null where it does not apply. */
    record ScenarioFigures(Integer apiErrorsInjected, Integer apiErrorsServed, Long apiRestoredMs,
                           Long flipConvergedAfterRestoreMs) {
        static final ScenarioFigures NONE = new ScenarioFigures(null, null, null, null);
    }
}
