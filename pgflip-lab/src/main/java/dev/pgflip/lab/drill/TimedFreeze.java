package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;

/**
 * A node's PostgreSQL stopped (SIGSTOP of the postmaster and every child) for a given time, then continued, whatever
 * interrupts the wait; {@link #thaw} for a run's clean-up.
 */
final class TimedFreeze {
    private final Lab lab;
    private LabNode node;

    TimedFreeze(Lab lab) {
        this.lab = lab;
    }

    /** Returns when the node continued (epoch ms): the fault's end, as the checks show it. */
    long freeze(LabNode target, long frozenMs) {
        node = target;
        LabFaults faults = new LabFaults(lab);
        faults.inject(LabFaults.Fault.FREEZE, target);
        try {
            Thread.sleep(frozenMs);
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
