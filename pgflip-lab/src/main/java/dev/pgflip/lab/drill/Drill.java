package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * N runs of one fault in a row on one lab. Between runs the lab fails back ({@link RunRecovery}): the old primary is
 * healed, rewound and rejoined as a standby (a downed standby or witness is started again), so every run starts from
 * a healthy cluster (the roles alternate between n1 and n2). A failback run fails back inside itself.
 *
 * <pre>{@code
 * DrillResult kill = new Drill(lab, progress).run(DrillFault.KILL, 3, List.of("pgflip"), stacks, false, true);
 * }</pre>
 */
public final class Drill {
    private final Lab lab;
    private final Progress progress;
    private final FaultSettings settings;

    public Drill(Lab lab, Progress progress) {
        this(lab, progress, FaultSettings.defaults());
    }

    public Drill(Lab lab, Progress progress, FaultSettings settings) {
        this.lab = lab;
        this.progress = progress;
        this.settings = settings;
    }

    public DrillResult run(DrillFault fault, int runs, List<String> clientNames,
            List<Supplier<ClientStack>> stacks, boolean live, boolean failBackAfterLast) throws InterruptedException {
        List<RunResult> results = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            RunResult result = fault == DrillFault.FAILBACK
                    ? new FailbackRun(lab, progress, stacks, live).run(i)
                    : new DrillRun(lab, progress, fault, settings, stacks, live).run(i);
            results.add(result);
            if (i < runs || failBackAfterLast) {
                new RunRecovery(lab, progress).after(fault, result);
            }
        }
        return DrillResult.of(fault.cliName(), clientNames, results);
    }

    /**
     * Each fault in turn, {@code runs} times each, the lab failed back after every run; {@code afterEachFault} sees
     * the results so far (a long drill writes its report as it goes, and keeps it if a later fault breaks the lab).
     */
    public DrillSuite runAll(List<DrillFault> faults, int runs, List<String> clientNames,
            List<Supplier<ClientStack>> stacks, Consumer<DrillSuite> afterEachFault) throws InterruptedException {
        List<DrillResult> results = new ArrayList<>();
        for (DrillFault fault : faults) {
            progress.step("== fault %s: %d run(s)", fault.cliName(), runs);
            results.add(run(fault, runs, clientNames, stacks, false, true));
            afterEachFault.accept(new DrillSuite(results));
        }
        return new DrillSuite(results);
    }
}
