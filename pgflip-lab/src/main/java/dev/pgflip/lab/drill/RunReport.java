package dev.pgflip.lab.drill;

import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A measured run put into its {@link RunResult}: per client stack its figures (lost writes counted on the nodes in
 * {@code lossCountedOn}: the writer, or every standby when a failover fault promoted none),
 * the timeline with the fault's own steps on it, the checks; and its summary line on the progress output.
 */
record RunReport(DrillFault fault, int number, LabNode target, LabNode oldPrimary, LabNode writer,
                 List<LabNode> lossCountedOn, long faultMs,
                 long endMs, RunLoad load, DrillTables tables, FailoverFigures figures,
                 FaultScenario.ScenarioFigures extra, WritableNodesProbe.Ticks ticks, Map<Phase, Long> phases,
                 List<RunResult.Check> checks, boolean flipOnWriter, Progress progress) {

    RunResult result() {
        List<RunResult.TimelineEntry> timeline = new ArrayList<>(
                figures.timeline(fault.cliName() + " " + target.name(), writer.name(), "", 0));
        ticks.firstDualWritableAt().ifPresent(at -> timeline.add(new RunResult.TimelineEntry(
                "two nodes acknowledged direct writes", at - faultMs, "writable probe")));
        if (extra.apiRestoredMs() != null) {
            timeline.add(new RunResult.TimelineEntry("DigitalOcean API answers again", extra.apiRestoredMs(), "drill"));
        }
        Map<String, Long> phaseTimes = new LinkedHashMap<>();
        phases.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(p -> {
            phaseTimes.put(p.getKey().jsonName(), p.getValue() - faultMs);
            timeline.add(new RunResult.TimelineEntry(p.getKey().description(), p.getValue() - faultMs, "drill"));
        });
        Map<String, RunResult.ClientResult> clients = new LinkedHashMap<>();
        Map<String, RunResult.Series> series = new LinkedHashMap<>();
        for (ClientLoad l : load.loads()) {
            String name = l.stack().name();
            List<OpRecord> ops = l.ops();
            Long writeDown = figures.writeDown().get(name);
            clients.put(name, new RunResult.ClientResult(writeDown, ClientMeasures.readUnavailable(ops, faultMs),
                    writeDown, figures.firstRead().get(name), ClientMeasures.acked(ops),
                    ClientMeasures.lost(ops, tables.presentSeqsOnAny(lossCountedOn, name)),
                    ClientMeasures.failed(ops, OpRecord.Kind.WRITE), ClientMeasures.failed(ops, OpRecord.Kind.READ),
                    ClientMeasures.sampleError(ops)));
            series.put(name, ClientMeasures.series(ops, faultMs, -DrillRun.WARMUP_MS, endMs - faultMs));
        }
        RunResult.ClientResult main = clients.values().iterator().next();
        long lost = clients.values().stream().mapToLong(RunResult.ClientResult::lostAckedWrites).sum();
        long dual = ticks.dualWritableMs();
        // The old primary writable again after the fault (a brief freeze, a blip) was no promotion: its watch saw its
        // own node come back as a primary.
        String promotion = figures.promoted() == null ? "no promotion"
                : writer.name().equals(oldPrimary.name())
                ? "no promotion (" + writer.name() + " writable again +" + figures.promoted() + " ms)"
                : "promoted +" + figures.promoted() + " ms";
        progress.step("run %d: %s, %s, dual writable %d ms, %s", number, promotion,
                figures.flipMoved() == null ? "FLIP not moved" : "FLIP moved +" + figures.flipMoved() + " ms", dual, clients.entrySet().stream().map(e -> e.getKey() + " writes unavailable "
                        + e.getValue().writeUnavailableMs() + " ms (" + e.getValue().ackedWrites() + " acked, "
                        + e.getValue().lostAckedWrites() + " lost)").toList());
        return new RunResult(number, fault.cliName(), target.name(), oldPrimary.name(), writer.name(),
                Instant.ofEpochMilli(faultMs).toString(), main.writeUnavailableMs(), main.readUnavailableMs(),
                figures.promoted(), figures.flipMoved(), figures.agentPromoteToFlip(),
                clients.values().stream().mapToLong(RunResult.ClientResult::ackedWrites).sum(), lost, flipOnWriter,
                figures.flipMoves(), dual, ticks.acknowledgedTicks(), timeline, clients, series,
                extra.apiErrorsInjected(), extra.apiErrorsServed(), extra.apiRestoredMs(),
                extra.flipConvergedAfterRestoreMs(), null, phaseTimes, extra.apiCallsDelayed(), checks);
    }
}
