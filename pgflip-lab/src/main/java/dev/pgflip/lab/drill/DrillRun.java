package dev.pgflip.lab.drill;

import dev.pgflip.lab.EmulatorApi.EmulatorAction;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabStatus;
import dev.pgflip.lab.Progress;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One measured fault: steady load from every client stack, the fault on the node its kind targets, the cluster left
 * to repmgrd and the agent, then the figures from the clients' own records, the events file and the emulator.
 */
public final class DrillRun {
    private static final long WARMUP_MS = 2_000;
    private static final long TAIL_MS = 1_500;
    private static final long RECOVERY_TIMEOUT_MS = 45_000;

    private final Lab lab;
    private final Progress progress;
    private final DrillFault fault;
    private final List<Supplier<ClientStack>> stacks;
    private final boolean live;

    public DrillRun(Lab lab, Progress progress, DrillFault fault, List<Supplier<ClientStack>> stacks, boolean live) {
        this.lab = lab;
        this.progress = progress;
        this.fault = fault;
        this.stacks = stacks;
        this.live = live;
    }

    public RunResult run(int number) throws InterruptedException {
        LabStatus before = LabStatus.read(lab);
        if (!before.healthy()) {
            throw new LabException("run " + number + " needs a healthy lab, found:\n" + before.table());
        }
        LabNode oldPrimary = lab.topology().node(roleHolder(before, "primary"));
        LabNode target = lab.topology().node(roleHolder(before, fault.targetRole()));
        // After a failover the standby is the primary; after a fault elsewhere the primary must still be.
        LabNode standby = fault.expectsFailover() ? lab.topology().node(roleHolder(before, "standby")) : oldPrimary;
        prepareTable();

        List<ClientLoad> loads = new ArrayList<>();
        for (Supplier<ClientStack> stack : stacks) {
            loads.add(new ClientLoad(stack.get(), 2, 2));
        }
        FlipProber prober = new FlipProber(lab.appSql(), lab.topology().flipIp(), oldPrimary.name());
        loads.forEach(ClientLoad::start);
        prober.start();
        LiveView view = live ? new LiveView(loads, lab.network(), System.out) : null;
        if (view != null) {
            view.start();
        }
        Thread.sleep(WARMUP_MS);

        long faultMs = System.currentTimeMillis();
        prober.armAt(faultMs);
        new LabFaults(lab).inject(fault.action(), target);
        progress.step("run %d: %s of %s injected; load continues (%s)", number, fault.cliName(), target.name(),
                loads.stream().map(l -> l.stack().name()).toList());
        boolean recovered = awaitRecovery(loads, faultMs, standby.name());
        if (!fault.expectsFailover()) {
            // Nothing should move: watch long enough for a wrong failover to show (repmgrd needs ~2 s to start one).
            Thread.sleep(Math.max(0, faultMs + 5_000 - System.currentTimeMillis()));
        }
        Thread.sleep(TAIL_MS);
        long endMs = System.currentTimeMillis();
        if (view != null) {
            view.stop();
        }
        loads.forEach(ClientLoad::stop);
        prober.stop();
        if (!recovered) {
            progress.step("run %d: not every client wrote to %s within %d s", number, standby.name(), RECOVERY_TIMEOUT_MS / 1000);
        }
        return measure(number, oldPrimary, target, standby, faultMs, endMs, loads, prober);
    }

    private boolean awaitRecovery(List<ClientLoad> loads, long faultMs, String newPrimary) throws InterruptedException {
        while (System.currentTimeMillis() - faultMs < RECOVERY_TIMEOUT_MS) {
            boolean all = loads.stream().allMatch(l -> ClientMeasures.writeUnavailable(l.ops(), faultMs, newPrimary) != null);
            if (all) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private RunResult measure(int number, LabNode oldPrimary, LabNode target, LabNode newPrimary, long faultMs, long endMs,
            List<ClientLoad> loads, FlipProber prober) {
        ClusterEvents events = ClusterEvents.read(lab.layout().eventsLog());
        Optional<EmulatorAction> action = assignAction(newPrimary, faultMs);
        // Writable: whichever saw it first, the warm watcher (role read every 100 ms) or the promote hook.
        Long promoted = rel(java.util.stream.Stream.of(
                events.first("pgflip_watch_role_changed", newPrimary.name(), faultMs, e -> "PRIMARY".equals(e.path("to").asText())),
                events.first("pgflip_node_writable", newPrimary.name(), faultMs))
                .flatMap(Optional::stream).map(ClusterEvents.Event::atMs).min(Long::compare), faultMs);
        Long agentCalled = rel(events.first("pgflip_promote_started", newPrimary.name(), faultMs).map(ClusterEvents.Event::atMs), faultMs);
        Long flipMoved = rel(action.map(EmulatorAction::completedAtMs), faultMs);

        List<RunResult.TimelineEntry> timeline = new ArrayList<>();
        timeline.add(new RunResult.TimelineEntry("fault injected (" + fault.cliName() + " " + target.name() + ")", 0L, "drill"));
        timeline.add(new RunResult.TimelineEntry("repmgrd on " + newPrimary.name() + " detected the primary down",
                rel(events.first("repmgrd_upstream_disconnect", newPrimary.name(), faultMs).map(ClusterEvents.Event::atMs), faultMs),
                "repmgr event hook"));
        timeline.add(new RunResult.TimelineEntry("agent called (promote_command)", agentCalled, "pgflip agent"));
        timeline.add(new RunResult.TimelineEntry("standby promoted (writable)", promoted, "pgflip watch / agent"));
        timeline.add(new RunResult.TimelineEntry("DigitalOcean assign action created",
                rel(action.map(EmulatorAction::startedAtMs), faultMs), "DigitalOcean API"));
        timeline.add(new RunResult.TimelineEntry("assign action completed (FLIP moved)", flipMoved, "DigitalOcean API"));
        timeline.add(new RunResult.TimelineEntry("FLIP answering on the new primary", rel(prober.answeringAt(), faultMs), "prober"));

        Map<String, RunResult.ClientResult> clients = new LinkedHashMap<>();
        Map<String, RunResult.Series> series = new LinkedHashMap<>();
        for (ClientLoad load : loads) {
            String name = load.stack().name();
            List<OpRecord> ops = load.ops();
            Set<Long> present = presentSeqs(newPrimary, name);
            Long writeDown = fault.expectsFailover() ? ClientMeasures.writeUnavailable(ops, faultMs, newPrimary.name())
                    : ClientMeasures.longestGap(ops, faultMs, OpRecord.Kind.WRITE);
            Long firstRead = ClientMeasures.firstReadOkAfterFailure(ops, faultMs);
            clients.put(name, new RunResult.ClientResult(writeDown, ClientMeasures.readUnavailable(ops, faultMs),
                    writeDown, firstRead, ClientMeasures.acked(ops), ClientMeasures.lost(ops, present),
                    ClientMeasures.failed(ops, OpRecord.Kind.WRITE), ClientMeasures.failed(ops, OpRecord.Kind.READ),
                    ClientMeasures.sampleError(ops)));
            series.put(name, ClientMeasures.series(ops, faultMs, -WARMUP_MS, endMs - faultMs));
            timeline.add(new RunResult.TimelineEntry("first write OK (" + name + ")", writeDown, "client"));
            timeline.add(new RunResult.TimelineEntry("first read OK after a failed one (" + name + ")", firstRead, "client"));
        }
        RunResult.ClientResult main = clients.values().iterator().next();
        LabStatus after = LabStatus.read(lab);
        boolean flipOnNew = newPrimary.name().equals(after.flip().holder())
                && Long.valueOf(newPrimary.dropletId()).equals(after.digitalocean().flipDropletId());
        long lost = clients.values().stream().mapToLong(RunResult.ClientResult::lostAckedWrites).sum();
        progress.step("run %d: promoted +%s ms, FLIP moved +%s ms, %s", number, promoted, flipMoved,
                clients.entrySet().stream().map(e -> e.getKey() + " writes unavailable " + e.getValue().writeUnavailableMs()
                        + " ms (" + e.getValue().ackedWrites() + " acked, " + e.getValue().lostAckedWrites() + " lost)").toList());
        return new RunResult(number, fault.cliName(), target.name(), oldPrimary.name(), newPrimary.name(),
                Instant.ofEpochMilli(faultMs).toString(), main.writeUnavailableMs(), main.readUnavailableMs(), promoted,
                flipMoved, agentCalled == null || flipMoved == null ? null : flipMoved - agentCalled,
                clients.values().stream().mapToLong(RunResult.ClientResult::ackedWrites).sum(), lost, flipOnNew,
                timeline, clients, series);
    }

    private Optional<EmulatorAction> assignAction(LabNode target, long faultMs) {
        try {
            return lab.emulatorApi().actions().stream()
                    .filter(a -> a.type().equals("assign_ip") && a.dropletId() == target.dropletId() && a.startedAtMs() >= faultMs)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The sequence numbers of this client's rows on the new primary: the acknowledged writes must all be there. */
    private Set<Long> presentSeqs(LabNode newPrimary, String client) {
        Set<Long> seqs = new HashSet<>();
        try (Connection c = lab.appSql().connect(newPrimary.address(), "postgres", 5);
             PreparedStatement ps = c.prepareStatement("SELECT seq FROM drill_writes WHERE client = ?")) {
            ps.setString(1, client);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new LabException("cannot read the acknowledged writes back from " + newPrimary.name() + ": " + e.getMessage(), e);
        }
        return seqs;
    }

    private void prepareTable() {
        try {
            lab.appSql().execute(lab.topology().flipIp(), "postgres",
                    "CREATE TABLE IF NOT EXISTS drill_writes (client text NOT NULL, seq bigint NOT NULL, node text,"
                            + " at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (client, seq));"
                            + "TRUNCATE drill_writes");
        } catch (SQLException e) {
            throw new LabException("cannot prepare the drill table through the floating IP: " + e.getMessage(), e);
        }
    }

    private static String roleHolder(LabStatus status, String role) {
        return status.nodes().stream().filter(n -> n.role().equals(role)).findFirst()
                .map(LabStatus.NodeStatus::name).orElseThrow();
    }

    private static Long rel(Optional<Long> atMs, long faultMs) {
        return atMs.map(at -> at - faultMs).orElse(null);
    }
}
