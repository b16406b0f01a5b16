package dev.pgflip.lab.drill;

import dev.pgflip.lab.EmulatorApi.EmulatorAction;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabStatus;
import dev.pgflip.lab.Progress;
import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One measured fault: steady load from every client stack, the fault on the node its kind targets (and its later
 * steps, {@link FaultScenario}), the cluster left to repmgrd and the agent, then the figures from the clients' own
 * records, the events file, the emulator and the probe writing to each node directly, and the fault's own checks.
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
    private final FaultPhase phase = new FaultPhase(new SplittableRandom());

    DrillRun(Lab lab, Progress progress, DrillFault fault, FaultSettings settings, List<Supplier<ClientStack>> stacks,
            boolean live) {
        this.lab = lab;
        this.progress = progress;
        this.fault = fault;
        this.settings = settings;
        this.stacks = stacks;
        this.live = live;
    }

    /** The floating IP's holder when the load stopped, by the interfaces and by the API (null: none or unknown). */
    private record FlipHolder(String byInterfaces, String byApi) {}

    /** What {@link #awaitOutcome} saw: whether the outcome came, and the standby that took the writes. */
    private record Recovery(boolean recovered, Optional<LabNode> promoted) {}

    RunResult run(int number) throws InterruptedException {
        RunStart start = RunStart.await(lab, "run " + number);
        LabNode oldPrimary = start.primary();
        LabNode target = start.withRole(fault.targetRole());
        SyncSettings sync = SyncSettings.read(lab, oldPrimary);
        DrillTables tables = new DrillTables(lab);
        tables.prepare();
        FaultScenario scenario = fault.scenario(lab, settings, start, progress);
        try {
            scenario.prepare();
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
                long phaseMs = phase.nextDelayMs();
                progress.step("run %d: load %s; the fault %d ms later (a random point of repmgrd's %d ms loop)",
                        number, settled.describe(), phaseMs, FaultPhase.LOOP_MS);
                Thread.sleep(phaseMs);
                faultMs = System.currentTimeMillis();
                if (fault.outcome() != DrillFault.Outcome.STAYS) {
                    // Only a failover makes the FLIP answer from another node; 40 logins a second load 2 cores.
                    prober.armAt(faultMs);
                }
                scenario.inject(target);
                progress.step("run %d: %s of %s injected; load continues (%s)", number, fault.cliName(), target.name(),
                        load.names());
                Recovery recovery = awaitOutcome(number, start, load, prober, faultMs, scenario.recoveryTimeoutMs());
                scenario.afterRecovery(new RunStage(number, start, load, faultMs, recovery.recovered(),
                        recovery.promoted(), progress));
                Thread.sleep(Math.max(0, faultMs + scenario.holdMs() - System.currentTimeMillis()));
                scenario.endFault();
                Thread.sleep(scenario.tailMs());
                endMs = System.currentTimeMillis();
            } finally {
                load.stop();
                prober.stop();
            }
            FlipHolder holder = flipHolder();
            scenario.afterLoad();
            return measure(number, start, target, scenario, sync, load, prober, tables, loadStartMs, faultMs, endMs,
                    holder);
        } finally {
            scenario.cleanUp();
        }
    }

    /**
     * Waits for what the fault's outcome promises: a failover, writes on one of the standbys and the FLIP answering
     * from the new primary; no failover, writes on the primary; either, nothing (the run holds and decides afterwards).
     */
    private Recovery awaitOutcome(int number, RunStart start, RunLoad load, FlipProber prober, long faultMs,
            long timeoutMs) throws InterruptedException {
        if (fault.outcome() == DrillFault.Outcome.EITHER) {
            return new Recovery(true, Optional.empty());
        }
        List<String> candidates = fault.expectsFailover() ? start.standbyNames() : List.of(start.primary().name());
        Optional<String> writer = load.awaitWritesOnAny(candidates, faultMs, timeoutMs);
        if (writer.isEmpty()) {
            progress.step("run %d: not every client wrote to %s within %d s", number, RunLoad.oneOf(candidates),
                    timeoutMs / 1000);
        }
        if (!fault.expectsFailover()) {
            return new Recovery(writer.isPresent(), Optional.empty());
        }
        boolean answering = prober.awaitAnswering(faultMs + timeoutMs);
        if (!answering) {
            progress.step("run %d: the floating IP did not answer from %s within %d s", number,
                    writer.orElse("a new primary"), timeoutMs / 1000);
        }
        return new Recovery(writer.isPresent() && answering, writer.flatMap(start::standbyNamed));
    }

    private RunResult measure(int number, RunStart start, LabNode target, FaultScenario scenario, SyncSettings sync,
            RunLoad load, FlipProber prober, DrillTables tables, long loadStartMs, long faultMs, long endMs,
            FlipHolder holder) throws InterruptedException {
        LabNode oldPrimary = start.primary();
        Optional<LabNode> firstWritable = firstWritableStandby(start.standbys(),
                ClusterEvents.read(lab.layout().eventsLog()), load.writable().ticks(faultMs, endMs), faultMs);
        LabNode writer = writer(start, firstWritable);
        boolean failedOver = !writer.equals(oldPrimary);
        if (failedOver) {
            // The timeline's "detected" and "agent called" come from hooks that record in the background.
            ClusterEvents.await(lab.layout().eventsLog(), "pgflip_promote_started", writer.name(), faultMs,
                    System.currentTimeMillis() + 10_000);
            ClusterEvents.await(lab.layout().eventsLog(), "repmgrd_upstream_disconnect", writer.name(), faultMs,
                    System.currentTimeMillis() + 5_000);
        }
        ClusterEvents events = ClusterEvents.read(lab.layout().eventsLog());
        FailoverFigures figures = FailoverFigures.measure(lab, faultMs, writer, failedOver, load.loads(), prober);
        FaultScenario.ScenarioFigures extra = scenario.figures(faultMs, figures.flipMoved());
        WritableNodesProbe.Ticks ticks = load.writable().ticks(loadStartMs, endMs);
        Map<String, List<OpRecord>> ops = new LinkedHashMap<>();
        load.loads().forEach(l -> ops.put(l.stack().name(), l.ops()));
        // Even where nothing may be promoted, the checks must judge the standby that was, whichever it is.
        LabNode standby = firstWritable.orElse(start.standby());
        List<LabNode> others = start.standbys().stream().filter(s -> !s.equals(writer)).toList();
        Map<String, String> followers = failedOver && !others.isEmpty()
                ? StandbyUpstreams.await(lab, writer, others) : Map.of();
        RunEvidence evidence = new RunEvidence(fault, faultMs, endMs, oldPrimary.name(), standby.name(),
                writer.name(), scenario.phases(), events, assignments(faultMs), holder.byInterfaces(), holder.byApi(), ops,
                load.writable().ticks(faultMs, endMs), sync, extra.apiCallsDelayed(), extra.standbyBehind(),
                followers);
        List<RunResult.Check> checks = FaultChecks.of(evidence);
        checks.forEach(c -> progress.step("run %d: check %s %s: %s", number, c.name(), c.passed() ? "held" : "FAILED",
                c.detail()));
        boolean flipOnWriter = writer.name().equals(holder.byInterfaces()) && writer.name().equals(holder.byApi())
                && figures.flipMovedAway() == null;
        return new RunReport(fault, number, target, oldPrimary, writer, lossCountedOn(fault, start, firstWritable, writer),
                faultMs, endMs, load, tables, figures, extra,
                ticks, scenario.phases(), checks, flipOnWriter, progress).result();
    }

    /**
     * The standby that became writable first after the fault, by the events or the writable probe (repmgr elects the
     * most advanced; with one standby, that one); empty when none did.
     */
    static Optional<LabNode> firstWritableStandby(List<LabNode> standbys, ClusterEvents events,
            WritableNodesProbe.Ticks ticks, long faultMs) {
        return standbys.stream()
                .flatMap(s -> FaultChecks.standbyWritableAt(events, ticks, s.name(), faultMs)
                        .map(at -> Map.entry(s, at)).stream())
                .min(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
    }

    /**
     * Who must hold the primary role at the end: after a failover the standby that became writable first after the
     * fault; otherwise a standby if one became writable after the fault all the same, else the primary. A fault that
     * must not move anything and did is failed by its own check (no_promotion); the writes are still counted on the
     * node that took over, or every write it acknowledged would count as lost (a blip that promoted n2 was reported
     * with 314 "lost" writes, counted against the fenced n1).
     */
    private LabNode writer(RunStart start, Optional<LabNode> promoted) {
        return switch (fault.outcome()) {
            case FAILOVER -> promoted.orElse(start.standby());
            case STAYS, EITHER -> promoted.orElse(start.primary());
        };
    }

    /**
     * Where acknowledged writes are looked for: on the node that holds the primary role at the end; but when a failover
     * fault promoted no standby, on every standby, since none of them is the new primary and a write one of them holds
     * is not lost (the first count, on the first standby, reported 3 "lost" writes n4 held after a freeze on 2 standbys
     * that promoted nobody).
     */
    static List<LabNode> lossCountedOn(DrillFault fault, RunStart start, Optional<LabNode> promoted, LabNode writer) {
        if (fault.outcome() == DrillFault.Outcome.FAILOVER && promoted.isEmpty()) {
            return start.standbys();
        }
        return List.of(writer);
    }

    private FlipHolder flipHolder() {
        LabStatus status = LabStatus.read(lab);
        Long droplet = status.digitalocean().flipDropletId();
        String byApi = droplet == null ? null : lab.topology().nodes().stream()
                .filter(n -> n.dropletId() == droplet).map(LabNode::name).findFirst().orElse(null);
        return new FlipHolder(status.flip().holder(), byApi);
    }

    /** The FLIP's assignments that completed after the fault, oldest first, by the emulator's admin endpoint. */
    private List<RunEvidence.FlipAssignment> assignments(long faultMs) {
        try {
            return lab.emulatorApi().actions().stream()
                    .filter(a -> a.type().equals("assign_ip") && a.startedAtMs() >= faultMs && a.completedAtMs() != null)
                    .sorted(Comparator.comparingLong(EmulatorAction::completedAtMs))
                    .map(a -> new RunEvidence.FlipAssignment(lab.topology().nodes().stream()
                            .filter(n -> n.dropletId() == a.dropletId()).map(LabNode::name).findFirst().orElse(null),
                            a.completedAtMs()))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Whether the FLIP is on {@code node} by both accounts: the namespaces' interfaces and the DigitalOcean API. */
    static boolean flipOn(Lab lab, LabNode node) {
        LabStatus status = LabStatus.read(lab);
        return node.name().equals(status.flip().holder())
                && Long.valueOf(node.dropletId()).equals(status.digitalocean().flipDropletId());
    }
}
