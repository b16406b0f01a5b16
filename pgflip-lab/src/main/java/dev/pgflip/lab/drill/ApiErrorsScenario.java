package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.EmulatorApi;
import java.io.IOException;

/**
 * The DigitalOcean API answers its next N requests with an error (429 with retry-after, or 500) and the primary is
 * killed at once: the agent's calls during the promotion meet the errors, and it must retry within its deadline. The
 * primary's own watcher asks the API only every 5 s, and a killed primary's watcher not at all, so the errors are
 * left for the failover; the run checks with the emulator that they were all answered.
 */
final class ApiErrorsScenario implements FaultScenario {
    private final Lab lab;
    private final int status;
    private final int count;

    ApiErrorsScenario(Lab lab, int status, int count) {
        this.lab = lab;
        this.status = status;
        this.count = count;
    }

    @Override
    public void inject(LabNode target) {
        try {
            lab.emulatorApi().failNext(status, count);
        } catch (IOException e) {
            throw new LabException("cannot inject " + count + " API errors " + status + " through the emulator's admin"
                    + " endpoint: " + e.getMessage(), e);
        }
        new LabFaults(lab).inject(LabFaults.Fault.KILL, target);
    }

    @Override
    public ScenarioFigures figures(long faultMs, Long flipMovedMs) {
        try {
            int pending = lab.emulatorApi().pendingErrors();
            return new ScenarioFigures(count, pending < 0 ? null : count - pending, null, null);
        } catch (IOException e) {
            throw new LabException("cannot ask the emulator how many injected errors are left: " + e.getMessage(), e);
        }
    }

    @Override
    public void cleanUp() {
        clearFaults(lab.emulatorApi());
    }

    static void clearFaults(EmulatorApi api) {
        try {
            api.clearFaults();
        } catch (IOException e) {
            throw new LabException("cannot clear the emulator's faults: " + e.getMessage(), e);
        }
    }
}
