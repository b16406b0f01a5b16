package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabStatus;
import dev.pgflip.lab.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One measured fault: steady load from every client stack, the fault on the node its kind targets, the cluster left
 * to repmgrd and the agent, then the figures from the clients' own records, the events file, the emulator and the
 * probe writing to each node directly.
 */
final class DrillRun {
    static final long WARMUP_MS = 2_000;
    static final long TAIL_MS = 1_500;

    private final Lab lab;
    private final Progress progress;
    private final DrillFault fault;
    private final FaultSettings settings;
    private final List<Supplier<ClientStack>> stacks;
    private final boolean live;

    DrillRun(Lab lab, Progress progress, DrillFault fault, FaultSettings settings, List<Supplier<ClientStack>> stacks,
            boolean live) {
        this.lab = lab;
        this.progress = progress;
        this.fault = fault;
        this.settings = settings;
        this.stacks = stacks;
        this.live = live;
    }

    RunResult run(int number) throws InterruptedException {
        RunStart start = RunStart.await(lab, "run " + number);
        LabNode oldPrimary = start.primary();
        LabNode target = start.withRole(fault.targetRole());
        // After a failover the standby is the primary; after a fault elsewhere the primary must still be.
        LabNode newPrimary = fault.expectsFailover() ? start.standby() : oldPrimary;
        DrillTables tables = new DrillTables(lab);
        tables.prepare();
        FaultScenario scenario = fault.scenario(lab, settings);
        RunLoad load = new RunLoad(lab, stacks, live);
        FlipProber prober = new FlipProber(lab.appSql(), lab.topology().flipIp(), oldPrimary.name());
        long loadStartMs = System.currentTimeMillis();
        long faultMs;
        long endMs;
        load.start();
        prober.start();
        try {
            Thread.sleep(WARMUP_MS);
            SteadyLoad.Settled settled = SteadyLoad.await();
            progress.step("run %d: load %s", number, settled.describe());
            faultMs = System.currentTimeMillis();
            prober.armAt(faultMs);
            scenario.inject(target);
            progress.step("run %d: %s of %s injected; load continues (%s)", number, fault.cliName(), target.name(),
                    load.names());
            if (!load.awaitWritesOn(newPrimary.name(), faultMs, scenario.recoveryTimeoutMs())) {
                progress.step("run %d: not every client wrote to %s within %d s", number, newPrimary.name(),
                        scenario.recoveryTimeoutMs() / 1000);
            }
            if (fault.expectsFailover() && !prober.awaitAnswering(faultMs + scenario.recoveryTimeoutMs())) {
                progress.step("run %d: the floating IP did not answer from %s within %d s", number, newPrimary.name(),
                        scenario.recoveryTimeoutMs() / 1000);
            }
            Thread.sleep(Math.max(0, faultMs + scenario.holdMs() - System.currentTimeMillis()));
            Thread.sleep(TAIL_MS);
            endMs = System.currentTimeMillis();
        } finally {
            load.stop();
            prober.stop();
        }
        if (fault.expectsFailover()) {
            // The timeline's "detected" and "agent called" come from hooks that record in the background.
            ClusterEvents.await(lab.layout().eventsLog(), "pgflip_promote_started", newPrimary.name(), faultMs,
                    System.currentTimeMillis() + 10_000);
            ClusterEvents.await(lab.layout().eventsLog(), "repmgrd_upstream_disconnect", newPrimary.name(), faultMs,
                    System.currentTimeMillis() + 5_000);
        }
        try {
            FailoverFigures figures = FailoverFigures.measure(lab, faultMs, newPrimary, fault.expectsFailover(),
                    load.loads(), prober);
            FaultScenario.ScenarioFigures extra = scenario.figures(faultMs, figures.flipMoved());
            WritableNodesProbe.Ticks ticks = load.writable().ticks(loadStartMs, endMs);
            return result(number, target, oldPrimary, newPrimary, faultMs, endMs, load, tables, figures, extra, ticks);
        } finally {
            scenario.cleanUp();
        }
    }

    private RunResult result(int number, LabNode target, LabNode oldPrimary, LabNode newPrimary, long faultMs, long endMs,
            RunLoad load, DrillTables tables, FailoverFigures figures, FaultScenario.ScenarioFigures extra,
            WritableNodesProbe.Ticks ticks) {
        List<RunResult.TimelineEntry> timeline = new ArrayList<>(
                figures.timeline(fault.cliName() + " " + target.name(), newPrimary.name(), "", 0));
        ticks.firstDualWritableAt().ifPresent(at -> timeline.add(new RunResult.TimelineEntry(
                "two nodes acknowledged direct writes", at - faultMs, "writable probe")));
        if (extra.apiRestoredMs() != null) {
            timeline.add(new RunResult.TimelineEntry("DigitalOcean API answers again", extra.apiRestoredMs(), "drill"));
        }
        Map<String, RunResult.ClientResult> clients = new LinkedHashMap<>();
        Map<String, RunResult.Series> series = new LinkedHashMap<>();
        for (ClientLoad l : load.loads()) {
            String name = l.stack().name();
            List<OpRecord> ops = l.ops();
            Long writeDown = figures.writeDown().get(name);
            clients.put(name, new RunResult.ClientResult(writeDown, ClientMeasures.readUnavailable(ops, faultMs),
                    writeDown, figures.firstRead().get(name), ClientMeasures.acked(ops),
                    ClientMeasures.lost(ops, tables.presentSeqs(newPrimary, name)),
                    ClientMeasures.failed(ops, OpRecord.Kind.WRITE), ClientMeasures.failed(ops, OpRecord.Kind.READ),
                    ClientMeasures.sampleError(ops)));
            series.put(name, ClientMeasures.series(ops, faultMs, -WARMUP_MS, endMs - faultMs));
        }
        RunResult.ClientResult main = clients.values().iterator().next();
        long lost = clients.values().stream().mapToLong(RunResult.ClientResult::lostAckedWrites).sum();
        long dual = ticks.dualWritableMs();
        progress.step("run %d: promoted +%s ms, FLIP moved +%s ms, dual writable %d ms, %s", number, figures.promoted(),
                figures.flipMoved(), dual, clients.entrySet().stream().map(e -> e.getKey() + " writes unavailable "
                        + e.getValue().writeUnavailableMs() + " ms (" + e.getValue().ackedWrites() + " acked, "
                        + e.getValue().lostAckedWrites() + " lost)").toList());
        return new RunResult(number, fault.cliName(), target.name(), oldPrimary.name(), newPrimary.name(),
                Instant.ofEpochMilli(faultMs).toString(), main.writeUnavailableMs(), main.readUnavailableMs(),
                figures.promoted(), figures.flipMoved(), figures.agentPromoteToFlip(),
                clients.values().stream().mapToLong(RunResult.ClientResult::ackedWrites).sum(), lost,
                flipOn(lab, newPrimary) && figures.flipMovedAway() == null, figures.flipMoves(), dual, ticks.acknowledgedTicks(), timeline, clients, series, extra.apiErrorsInjected(),
                extra.apiErrorsServed(), extra.apiRestoredMs(), extra.flipConvergedAfterRestoreMs(), null);
    }

    /** Whether the FLIP is on {@code node} by both accounts: the namespaces' interfaces and the DigitalOcean API. */
    static boolean flipOn(Lab lab, LabNode node) {
        LabStatus status = LabStatus.read(lab);
        return node.name().equals(status.flip().holder())
                && Long.valueOf(node.dropletId()).equals(status.digitalocean().flipDropletId());
    }
}
