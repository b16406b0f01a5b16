package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;

/** A fault on the node itself: kill, freeze or link-down. */
final class NodeFaultScenario implements FaultScenario {
    private final Lab lab;
    private final LabFaults.Fault fault;
    private final long holdMs;

    NodeFaultScenario(Lab lab, LabFaults.Fault fault) {
        this(lab, fault, 0);
    }

    NodeFaultScenario(Lab lab, LabFaults.Fault fault, long holdMs) {
        this.lab = lab;
        this.fault = fault;
        this.holdMs = holdMs;
    }

    @Override
    public void inject(LabNode target) {
        new LabFaults(lab).inject(fault, target);
    }

    @Override
    public long holdMs() {
        return holdMs;
    }
}
