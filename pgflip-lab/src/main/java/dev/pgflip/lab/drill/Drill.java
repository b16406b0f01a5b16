package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabRejoin;
import dev.pgflip.lab.LabStatus;
import dev.pgflip.lab.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * N failovers in a row on one lab. Between runs the lab fails back: the old primary is rewound and rejoined as a
 * standby, so every run starts from a healthy cluster (the roles alternate between n1 and n2).
 */
public final class Drill {
    private final Lab lab;
    private final Progress progress;

    public Drill(Lab lab, Progress progress) {
        this.lab = lab;
        this.progress = progress;
    }

    public DrillResult run(DrillFault fault, int runs, List<String> clientNames,
            List<Supplier<ClientStack>> stacks, boolean live, boolean failBackAfterLast) throws InterruptedException {
        List<RunResult> results = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            RunResult result = new DrillRun(lab, progress, fault, stacks, live).run(i);
            results.add(result);
            if (i < runs || failBackAfterLast) {
                recover(fault, result);
            }
        }
        return DrillResult.of(fault.cliName(), clientNames, results);
    }

    /** After a failover the old primary rejoins as a standby; a downed standby or witness is simply started again. */
    private void recover(DrillFault fault, RunResult result) throws InterruptedException {
        if (fault.expectsFailover()) {
            new LabRejoin(lab, progress).run(lab.topology().node(result.oldPrimary()));
        } else {
            dev.pgflip.lab.LabNode node = lab.topology().node(result.faultNode());
            lab.postgres(node).start();
            progress.step("%s: started again", node.name());
        }
        awaitHealthy();
    }

    private void awaitHealthy() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!LabStatus.read(lab).healthy()) {
            if (System.currentTimeMillis() > deadline) {
                throw new dev.pgflip.lab.LabException("the lab did not become healthy after the failback:\n"
                        + LabStatus.read(lab).table());
            }
            Thread.sleep(250);
        }
    }
}
