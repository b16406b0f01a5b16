package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabRejoin;
import dev.pgflip.lab.LabStatus;
import dev.pgflip.lab.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Failover back and forth in one run, under one continuous load: kill the primary, let a standby take over (the one
 * repmgr promotes, the most advanced), rejoin the old primary as a standby ({@code pgflip rejoin}, under the load),
 * and again, {@value #HOPS} times, so each new primary is the next one killed. Every hop is held to the same
 * guarantees as a single kill; the clients' pools live through all of it, and every write acknowledged in the whole
 * run must be on the last primary.
 */
final class FailbackRun {
    static final int HOPS = 3;

    private final Lab lab;
    private final Progress progress;
    private final List<Supplier<ClientStack>> stacks;
    private final boolean live;

    FailbackRun(Lab lab, Progress progress, List<Supplier<ClientStack>> stacks, boolean live) {
        this.lab = lab;
        this.progress = progress;
        this.stacks = stacks;
        this.live = live;
    }

    /** What one hop saw; its figures are read at the run's end, when every event of the hop is in the file. */
    private record HopRun(int hop, LabNode oldPrimary, LabNode newPrimary, long faultMs, long rejoinedMs,
                          FlipProber prober, boolean flipOnNewPrimaryAtHopEnd) {}

    /** A hop with its figures, measured in its own window (from its fault to the next hop's). */
    private record MeasuredHop(HopRun run, FailoverFigures figures) {
        boolean flipOnNewPrimary() {
            return run.flipOnNewPrimaryAtHopEnd() && figures.flipMovedAway() == null;
        }
    }

    RunResult run(int number) throws InterruptedException {
        RunStart first = RunStart.await(lab, "run " + number);
        DrillTables tables = new DrillTables(lab);
        tables.prepare();
        RunLoad load = new RunLoad(lab, stacks, live);
        long loadStartMs = System.currentTimeMillis();
        List<HopRun> hops = new ArrayList<>();
        long endMs;
        load.start();
        try {
            Thread.sleep(DrillRun.WARMUP_MS);
            progress.step("run %d: load %s", number, SteadyLoad.await().describe());
            for (int hop = 1; hop <= HOPS; hop++) {
                RunStart start = hop == 1 ? first : RunStart.await(lab, "run " + number + " hop " + hop);
                hops.add(hop(number, hop, start, load));
            }
            Thread.sleep(DrillRun.TAIL_MS);
            endMs = System.currentTimeMillis();
        } finally {
            load.stop();
        }
        return result(number, hops, load, tables, loadStartMs, endMs);
    }

    private HopRun hop(int number, int hop, RunStart start, RunLoad load) throws InterruptedException {
        LabNode oldPrimary = start.primary();
        FlipProber prober = new FlipProber(lab.appSql(), lab.topology().flipIp(), oldPrimary.name());
        prober.start();
        long faultMs = System.currentTimeMillis();
        prober.armAt(faultMs);
        Optional<String> wroteTo;
        try {
            DrillFault.FAILBACK.scenario(lab, FaultSettings.defaults(), start, progress).inject(oldPrimary);
            progress.step("run %d hop %d: kill of %s; load continues", number, hop, oldPrimary.name());
            wroteTo = load.awaitWritesOnAny(start.standbyNames(), faultMs, FaultScenario.DEFAULT_RECOVERY_TIMEOUT_MS);
            if (wroteTo.isEmpty()) {
                progress.step("run %d hop %d: not every client wrote to %s within %d s", number, hop,
                        RunLoad.oneOf(start.standbyNames()), FaultScenario.DEFAULT_RECOVERY_TIMEOUT_MS / 1000);
            }
            if (!prober.awaitAnswering(faultMs + FaultScenario.DEFAULT_RECOVERY_TIMEOUT_MS)) {
                progress.step("run %d hop %d: the floating IP did not answer from %s within %d s", number, hop,
                        wroteTo.orElse("a new primary"), FaultScenario.DEFAULT_RECOVERY_TIMEOUT_MS / 1000);
            }
        } finally {
            prober.stop();
        }
        LabNode newPrimary = tookOver(number, hop, start, wroteTo);
        boolean flipOk = DrillRun.flipOn(lab, newPrimary);
        Long writesBack = ClientMeasures.writeUnavailable(load.loads().get(0).ops(), faultMs, newPrimary.name());
        new LabRejoin(lab, progress).run(oldPrimary);
        long rejoinedMs = System.currentTimeMillis() - faultMs;
        progress.step("run %d hop %d: writes back on %s +%s ms, %s rejoined +%d ms", number, hop, newPrimary.name(),
                writesBack, oldPrimary.name(), rejoinedMs);
        return new HopRun(hop, oldPrimary, newPrimary, faultMs, rejoinedMs, prober, flipOk);
    }

    /**
     * The standby that took over: the one every client wrote to, else the one answering as the primary now (the
     * clients may not have followed it in time). The hop's figures and the run's count of lost writes are read on it,
     * so with none there is nothing to measure and no primary for the old one to rejoin.
     */
    private LabNode tookOver(int number, int hop, RunStart start, Optional<String> wroteTo) {
        return wroteTo.flatMap(start::standbyNamed)
                .or(() -> start.standbyNowPrimary(LabStatus.read(lab)))
                .orElseThrow(() -> new LabException("run " + number + " hop " + hop + ": no standby of "
                        + start.standbyNames() + " took over after the kill of " + start.primary().name()
                        + " (none took every client's writes within "
                        + FaultScenario.DEFAULT_RECOVERY_TIMEOUT_MS / 1000 + " s, none answers as the primary):"
                        + " the old primary is not rejoined and the failback stops; see 'pgflip lab status' and the"
                        + " standbys' repmgr logs"));
    }

    private RunResult result(int number, List<HopRun> hopRuns, RunLoad load, DrillTables tables, long loadStartMs,
            long endMs) {
        long firstFaultMs = hopRuns.get(0).faultMs();
        LabNode lastPrimary = hopRuns.get(hopRuns.size() - 1).newPrimary();
        Map<String, List<OpRecord>> ops = new LinkedHashMap<>();
        Map<String, java.util.Set<Long>> present = new LinkedHashMap<>();
        for (ClientLoad l : load.loads()) {
            ops.put(l.stack().name(), l.ops());
            present.put(l.stack().name(), tables.presentSeqs(lastPrimary, l.stack().name()));
        }
        List<RunResult.Hop> hops = new ArrayList<>();
        List<MeasuredHop> measured = new ArrayList<>();
        List<RunResult.TimelineEntry> timeline = new ArrayList<>();
        for (int i = 0; i < hopRuns.size(); i++) {
            HopRun h = hopRuns.get(i);
            long from = i == 0 ? loadStartMs : h.faultMs();
            long to = i + 1 < hopRuns.size() ? hopRuns.get(i + 1).faultMs() : endMs;
            MeasuredHop m = new MeasuredHop(h, FailoverFigures.measure(lab, h.faultMs(),
                    i + 1 < hopRuns.size() ? to : Long.MAX_VALUE, h.newPrimary(), true, load.loads(), h.prober()));
            measured.add(m);
            hops.add(hop(m, from, to, i + 1 == hopRuns.size(), ops, present, load.writable().ticks(from, to),
                    firstFaultMs));
            String prefix = "hop " + h.hop() + ": ";
            timeline.addAll(m.figures().timeline("kill " + h.oldPrimary().name(), h.newPrimary().name(), prefix,
                    h.faultMs() - firstFaultMs));
            timeline.add(new RunResult.TimelineEntry(prefix + h.oldPrimary().name() + " rejoined as a standby",
                    h.faultMs() - firstFaultMs + h.rejoinedMs(), "drill (pgflip rejoin)"));
        }
        WritableNodesProbe.Ticks ticks = load.writable().ticks(loadStartMs, endMs);
        ticks.firstDualWritableAt().ifPresent(at -> timeline.add(new RunResult.TimelineEntry(
                "two nodes acknowledged direct writes", at - firstFaultMs, "writable probe")));

        Map<String, RunResult.ClientResult> clients = new LinkedHashMap<>();
        Map<String, RunResult.Series> series = new LinkedHashMap<>();
        for (String name : ops.keySet()) {
            List<OpRecord> o = ops.get(name);
            Long slowest = slowest(hops.stream().map(h -> h.clientsWriteUnavailableMs().get(name)).toList());
            clients.put(name, new RunResult.ClientResult(slowest, ClientMeasures.readUnavailable(o, firstFaultMs),
                    slowest, ClientMeasures.firstReadOkAfterFailure(o, firstFaultMs), ClientMeasures.acked(o),
                    ClientMeasures.lost(o, present.get(name)), ClientMeasures.failed(o, OpRecord.Kind.WRITE),
                    ClientMeasures.failed(o, OpRecord.Kind.READ), ClientMeasures.sampleError(o)));
            series.put(name, ClientMeasures.series(o, firstFaultMs, -DrillRun.WARMUP_MS, endMs - firstFaultMs));
        }
        RunResult.ClientResult main = clients.values().iterator().next();
        HopRun firstHop = hopRuns.get(0);
        return new RunResult(number, DrillFault.FAILBACK.cliName(), firstHop.oldPrimary().name(),
                firstHop.oldPrimary().name(), lastPrimary.name(), Instant.ofEpochMilli(firstFaultMs).toString(),
                main.writeUnavailableMs(), main.readUnavailableMs(),
                slowest(measured.stream().map(h -> h.figures().promoted()).toList()),
                slowest(measured.stream().map(h -> h.figures().flipMoved()).toList()),
                slowest(measured.stream().map(h -> h.figures().agentPromoteToFlip()).toList()),
                clients.values().stream().mapToLong(RunResult.ClientResult::ackedWrites).sum(),
                clients.values().stream().mapToLong(RunResult.ClientResult::lostAckedWrites).sum(),
                hops.stream().allMatch(RunResult.Hop::flipOnNewPrimary),
                measured.stream().mapToInt(h -> h.figures().flipMoves()).sum(), ticks.dualWritableMs(),
                ticks.acknowledgedTicks(), timeline, clients,
                series, null, null, null, null, hops);
    }

    /**
     * One hop's record: its acknowledged writes are those that ended from {@code fromMs} until the next hop's fault
     * (the last hop: until the load stopped, {@code toMs} being the run's end).
     */
    private static RunResult.Hop hop(MeasuredHop m, long fromMs, long toMs, boolean last, Map<String, List<OpRecord>> ops,
            Map<String, java.util.Set<Long>> present, WritableNodesProbe.Ticks ticks, long firstFaultMs) {
        HopRun h = m.run();
        long acked = 0;
        long lost = 0;
        for (Map.Entry<String, List<OpRecord>> e : ops.entrySet()) {
            List<OpRecord> window = e.getValue().stream()
                    .filter(o -> o.endMs() >= fromMs && (last || o.endMs() < toMs)).toList();
            acked += ClientMeasures.acked(window);
            lost += ClientMeasures.lost(window, present.get(e.getKey()));
        }
        Long main = m.figures().writeDown().values().iterator().next();
        return new RunResult.Hop(h.hop(), h.oldPrimary().name(), h.newPrimary().name(), h.faultMs() - firstFaultMs,
                main, m.figures().promoted(), m.figures().flipMoved(), h.rejoinedMs(), acked, lost,
                ticks.dualWritableMs(), m.flipOnNewPrimary(), m.figures().writeDown());
    }

    /** The largest time, or null when one of them was never measured (that hop did not recover). */
    private static Long slowest(List<Long> times) {
        return times.stream().anyMatch(Objects::isNull) ? null : times.stream().max(Long::compare).orElse(null);
    }
}
