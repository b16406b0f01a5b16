package dev.pgflip.lab.drill;

import dev.pgflip.lab.EmulatorApi;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The DigitalOcean API refuses connections from right before the primary is killed until {@code outage} later: the
 * promote hook cannot move the FLIP within its 20 s deadline and exits non-zero; the new primary's {@code pgflip
 * watch}, which reconciles the FLIP every 5 s, must move it soon after the API answers again. A thread asks the API
 * every 25 ms from the fault on, so the restore is timed to within that.
 */
final class ApiOutageScenario implements FaultScenario {
    private static final long POLL_MS = 25;
    /** How long past the planned end of the outage the API may stay silent before the run gives up on it. */
    private static final long RESTORE_GRACE_MS = 30_000;

    private final Lab lab;
    private final Duration outage;
    private final AtomicLong restoredAtMs = new AtomicLong(-1);
    private Thread poller;

    ApiOutageScenario(Lab lab, Duration outage) {
        this.lab = lab;
        this.outage = outage;
    }

    @Override
    public void inject(LabNode target) {
        EmulatorApi api = lab.emulatorApi();
        try {
            api.refuseConnections(outage);
        } catch (IOException e) {
            throw new LabException("cannot make the emulator refuse connections: " + e.getMessage(), e);
        }
        new LabFaults(lab).inject(LabFaults.Fault.KILL, target);
        long giveUpAt = System.currentTimeMillis() + outage.toMillis() + RESTORE_GRACE_MS;
        poller = ClientLoad.daemon(() -> awaitRestore(api, giveUpAt), "drill-api-restore-poller");
        poller.start();
    }

    private void awaitRestore(EmulatorApi api, long giveUpAt) {
        while (System.currentTimeMillis() < giveUpAt) {
            if (api.answers()) {
                restoredAtMs.set(System.currentTimeMillis());
                return;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public long recoveryTimeoutMs() {
        return outage.toMillis() + DEFAULT_RECOVERY_TIMEOUT_MS;
    }

    @Override
    public ScenarioFigures figures(long faultMs, Long flipMovedMs) {
        awaitPoller();
        long restored = restoredAtMs.get();
        if (restored < 0) {
            return new ScenarioFigures(null, null, null, null);
        }
        long apiRestoredMs = restored - faultMs;
        return new ScenarioFigures(null, null, apiRestoredMs, flipMovedMs == null ? null : flipMovedMs - apiRestoredMs);
    }

    @Override
    public void cleanUp() {
        awaitPoller();
        ApiErrorsScenario.clearFaults(lab.emulatorApi());
    }

    private void awaitPoller() {
        if (poller == null) {
            return;
        }
        try {
            poller.join(outage.toMillis() + RESTORE_GRACE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
