package dev.pgflip.lab.drill;

import dev.pgflip.lab.LabNode;
import java.util.Map;

/**
 * How one kind of fault is injected and what it adds to a run's figures. The run owns the clock and the load; a
 * scenario acts at its steps, reports what it alone can know, and undoes what a rejoin does not. A run calls, in order:
 * {@link #prepare} (before the load), {@link #inject} (the fault's time is taken just before), {@link #afterRecovery}
 * (once the failover is done, or right away for a fault without one), {@link #endFault} (once {@link #holdMs} has
 * passed), then after {@link #tailMs} the load stops, the floating IP's holder is read, {@link #afterLoad} runs and the
 * figures are taken; {@link #cleanUp} always comes last.
 */
interface FaultScenario {
    /** Writes must be back on the new primary within this long of the fault, or the run reports them missing. */
    long DEFAULT_RECOVERY_TIMEOUT_MS = 45_000;

    /** Sets up what the fault needs before the load starts (e.g. a CDC stream on the primary). */
    default void prepare() {}

    /** Injects the fault into {@code target}; the run takes the fault's time just before calling this. */
    void inject(LabNode target);

    default long recoveryTimeoutMs() {
        return DEFAULT_RECOVERY_TIMEOUT_MS;
    }

    /**
     * The fault's later steps, under the load: a second kill and a restart, the witness killed, a rejoin while the API
     * is slow. Runs once the failover is done (or the run gave up on it: {@link RunStage#recovered}), or right after
     * the injection for a fault without one, and may take its time (it blocks the run, not the load). The node to act
     * on is {@link RunStage#newPrimary}, the standby repmgr promoted, not necessarily {@link RunStart#standby()}.
     */
    default void afterRecovery(RunStage stage) throws InterruptedException {}

    /**
     * The run goes on at least this long after the fault, even once writes are back: long enough for what must not
     * happen (a failover after a fault on the standby, a partitioned primary taking writes again) to show.
     */
    default long holdMs() {
        return 0;
    }

    /** At the end of {@link #holdMs}: undoes what the fault does only for a while (a cut healed, the API fast again). */
    default void endFault() {}

    /** How long the run watches after {@link #endFault} before the load stops. */
    default long tailMs() {
        return DrillRun.TAIL_MS;
    }

    /**
     * After the load stopped and the floating IP's holder was read, before the acknowledged writes are counted and the
     * events read: brings back the node that holds the newest data, waits for events that come late.
     */
    default void afterLoad() throws InterruptedException {}

    /**
     * Fault-specific figures, once writes are back (or the run gave up on them).
     *
     * @param faultMs the fault's time (epoch ms)
     * @param flipMovedMs when the FLIP moved to the new primary, from the fault (null: it did not)
     */
    default ScenarioFigures figures(long faultMs, Long flipMovedMs) {
        return ScenarioFigures.NONE;
    }

    /** The steps the scenario took after the injection, with their times (epoch ms). */
    default Map<Phase, Long> phases() {
        return Map.of();
    }

    /** After the run, before the failback: undo what rejoining the old primary does not (the emulator's faults). */
    default void cleanUp() {}

    /** What only the scenario knows; null where it does not apply. */
    record ScenarioFigures(Integer apiErrorsInjected, Integer apiErrorsServed, Long apiRestoredMs,
                           Long flipConvergedAfterRestoreMs, Integer apiCallsDelayed,
                           StandbyBehindScenario.StandbyBehind standbyBehind) {
        static final ScenarioFigures NONE = new ScenarioFigures(null, null, null, null, null, null);

        ScenarioFigures(Integer apiErrorsInjected, Integer apiErrorsServed, Long apiRestoredMs,
                        Long flipConvergedAfterRestoreMs) {
            this(apiErrorsInjected, apiErrorsServed, apiRestoredMs, flipConvergedAfterRestoreMs, null, null);
        }

        ScenarioFigures(Integer apiErrorsInjected, Integer apiErrorsServed, Long apiRestoredMs,
                        Long flipConvergedAfterRestoreMs, Integer apiCallsDelayed) {
            this(apiErrorsInjected, apiErrorsServed, apiRestoredMs, flipConvergedAfterRestoreMs, apiCallsDelayed, null);
        }

        ScenarioFigures withStandbyBehind(StandbyBehindScenario.StandbyBehind behind) {
            return new ScenarioFigures(apiErrorsInjected, apiErrorsServed, apiRestoredMs, flipConvergedAfterRestoreMs,
                    apiCallsDelayed, behind);
        }
    }
}
