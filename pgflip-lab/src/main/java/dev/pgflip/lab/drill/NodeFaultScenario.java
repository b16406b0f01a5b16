package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.net.SilentPartition;

/**
 * A fault on the node itself: kill, freeze, link-down or partition. A partition is checked once it is in place (the
 * other nodes get no answer from the node, the application does): a partition that leaks would measure nothing.
 */
final class NodeFaultScenario implements FaultScenario {
    private final Lab lab;
    private final LabFaults.Fault fault;

    NodeFaultScenario(Lab lab, LabFaults.Fault fault) {
        this.lab = lab;
        this.fault = fault;
    }

    @Override
    public void inject(LabNode target) {
        new LabFaults(lab).inject(fault, target);
        if (fault == LabFaults.Fault.PARTITION) {
            // About 2 s (pg_isready's floor); the load and the probes run on their own threads meanwhile.
            new SilentPartition(lab.commands(), lab.topology()).verify(target);
        }
    }
}
