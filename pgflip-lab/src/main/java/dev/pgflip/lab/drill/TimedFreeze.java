package dev.pgflip.lab.drill;

import dev.pgflip.lab.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A node's PostgreSQL stopped (SIGSTOP of the postmaster and every child) for a given time, or until something
 * happens, then continued, whatever interrupts the wait; {@link #thaw} for a run's clean-up.
 */
final class TimedFreeze {
    private static final long POLL_MS = 20;

    private final Lab lab;
    private LabNode node;

    TimedFreeze(Lab lab) {
        this.lab = lab;
    }

    /** Frozen for {@code frozenMs}; returns when the node continued (epoch ms): the fault's end, as the checks show it. */
    long freeze(LabNode target, long frozenMs) {
        return freeze(target, frozenMs, () -> false);
    }

    /**
     * Frozen until {@code over} answers true (asked every {@value #POLL_MS} ms) or {@code maxMs} has passed; returns when
     * the node continued (epoch ms).
     */
    long freeze(LabNode target, long maxMs, BooleanSupplier over) {
        node = target;
        LabFaults faults = new LabFaults(lab);
        faults.inject(LabFaults.Fault.FREEZE, target);
        try {
            Deadline deadline = Deadline.after(Duration.ofMillis(maxMs));
            while (!deadline.expired() && !over.getAsBoolean()) {
                Thread.sleep(Math.max(1, Math.min(POLL_MS, deadline.remaining().toMillis())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            faults.thaw(target);
        }
        return System.currentTimeMillis();
    }

    /** Continues the node if one was frozen (idempotent). */
    void thaw() {
        if (node != null) {
            new LabFaults(lab).thaw(node);
        }
    }
}
