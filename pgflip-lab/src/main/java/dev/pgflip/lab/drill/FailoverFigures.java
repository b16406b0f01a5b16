package dev.pgflip.lab.drill;

import dev.pgflip.lab.EmulatorApi.EmulatorAction;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The figures of one failover (or of a fault that must not cause one), every time in ms from its fault: from the
 * events file (repmgr's hook and the agent), the emulator's actions, the FLIP prober and the clients' records.
 *
 * @param writeDown per client stack: the first write the new primary acknowledged (for a fault without failover,
 *     the longest stretch without an acknowledged write, until the stack's last recorded call)
 * @param firstRead per client stack: the first successful read after a failed one
 */
record FailoverFigures(Long repmgrdWoken, Long repmgrDetected, Long agentCalled, Long promoteFailed, Long promoted,
                       Long actionCreated, Long flipMoved, Long flipMovedAway, int flipMoves, Long flipAnswering,
                       Map<String, Long> writeDown, Map<String, Long> firstRead) {

    static FailoverFigures measure(Lab lab, long faultMs, LabNode newPrimary, boolean failover, List<ClientLoad> loads,
            FlipProber prober) {
        return measure(lab, faultMs, Long.MAX_VALUE, newPrimary, failover, loads, prober);
    }

    /**
     * The figures from what happened between {@code faultMs} and {@code untilMs}. Measure after the run's tail: the
     * promote hook's JVM writes its events a second or more after the times they carry.
     */
    static FailoverFigures measure(Lab lab, long faultMs, long untilMs, LabNode newPrimary, boolean failover,
            List<ClientLoad> loads, FlipProber prober) {
        String node = newPrimary.name();
        ClusterEvents events = ClusterEvents.read(lab.layout().eventsLog()).before(untilMs);
        List<EmulatorAction> moves = assignActions(lab, faultMs, untilMs);
        Optional<EmulatorAction> action = moves.stream().filter(a -> a.dropletId() == newPrimary.dropletId()).findFirst();
        // After the FLIP reached the new primary, any later assignment elsewhere (a split brain's tug of war).
        Optional<Long> movedAway = action.flatMap(first -> moves.stream()
                .filter(a -> a.startedAtMs() > first.startedAtMs() && a.dropletId() != newPrimary.dropletId())
                .map(EmulatorAction::completedAtMs).filter(java.util.Objects::nonNull).findFirst());
        // Writable: whichever saw it first, the warm watcher (role read every 100 ms) or the promote wrapper (its
        // pg_promote loop polls every 10 ms; the hook's JVM records the wrapper's moment, not its own later one).
        Optional<Long> promoted = Stream.of(
                        events.first("pgflip_watch_role_changed", node, faultMs, e -> "PRIMARY".equals(e.path("to").asText())),
                        events.first("pgflip_node_writable", node, faultMs))
                .flatMap(Optional::stream).map(ClusterEvents.Event::atMs).min(Long::compare);
        Map<String, Long> writeDown = new LinkedHashMap<>();
        Map<String, Long> firstRead = new LinkedHashMap<>();
        for (ClientLoad load : loads) {
            List<OpRecord> ops = load.ops().stream().filter(o -> o.endMs() < untilMs).toList();
            // Without a failover: the longest pause until the stack's last recorded call, so writes that stopped
            // for good (commits hanging on a standby that is gone) show as the pause they were, not as the last gap
            // between two acknowledged ones.
            long lastCall = ops.stream().mapToLong(OpRecord::endMs).max().orElse(faultMs);
            // Boxed on both sides: a stack that never wrote to the new primary (multihost under link-down) is null,
            // which a long branch would unbox into a NullPointerException (it stopped a link-down drill).
            Long down = failover ? ClientMeasures.writeUnavailable(ops, faultMs, node)
                    : Long.valueOf(ClientMeasures.longestWritePause(ops, faultMs, Math.max(faultMs, lastCall)));
            writeDown.put(load.stack().name(), down);
            firstRead.put(load.stack().name(), ClientMeasures.firstReadOkAfterFailure(ops, faultMs));
        }
        return new FailoverFigures(
                rel(events.first("pgflip_watch_repmgrd_woken", node, faultMs).map(ClusterEvents.Event::atMs), faultMs),
                rel(events.first("repmgrd_upstream_disconnect", node, faultMs).map(ClusterEvents.Event::atMs), faultMs),
                rel(events.first("pgflip_promote_started", node, faultMs).map(ClusterEvents.Event::atMs), faultMs),
                rel(events.first("pgflip_flip_deferred", node, faultMs).map(ClusterEvents.Event::atMs), faultMs),
                rel(promoted, faultMs), rel(action.map(EmulatorAction::startedAtMs), faultMs),
                rel(action.map(EmulatorAction::completedAtMs), faultMs), rel(movedAway, faultMs), moves.size(),
                rel(prober.answeringAt(), faultMs), writeDown, firstRead);
    }

    /** From repmgrd calling promote_command to the FLIP moved: pgflip's own share of the failover. */
    Long agentPromoteToFlip() {
        return agentCalled == null || flipMoved == null ? null : flipMoved - agentCalled;
    }

    /**
     * The milestones, shifted by {@code shiftMs} (a later hop of a failback run sits that far from the run's first
     * fault) and labelled with {@code prefix} ("" or "hop 2: ").
     */
    List<RunResult.TimelineEntry> timeline(String faultLabel, String newPrimary, String prefix, long shiftMs) {
        List<RunResult.TimelineEntry> t = new ArrayList<>();
        t.add(entry(prefix + "fault injected (" + faultLabel + ")", 0L, shiftMs, "drill"));
        if (repmgrdWoken != null) {
            t.add(entry(prefix + "pgflip watch on " + newPrimary + " woke repmgrd (WAL stream ended)", repmgrdWoken,
                    shiftMs, "pgflip watch"));
        }
        t.add(entry(prefix + "repmgrd on " + newPrimary + " detected the primary down", repmgrDetected, shiftMs,
                "repmgr event hook"));
        t.add(entry(prefix + "agent called (promote_command)", agentCalled, shiftMs, "pgflip agent"));
        if (promoteFailed != null) {
            t.add(entry(prefix + "promote hook left the IP to pgflip watch (exit 0)", promoteFailed, shiftMs, "pgflip agent"));
        }
        t.add(entry(prefix + "standby promoted (writable)", promoted, shiftMs, "pgflip watch / agent"));
        t.add(entry(prefix + "DigitalOcean assign action created", actionCreated, shiftMs, "DigitalOcean API"));
        t.add(entry(prefix + "assign action completed (FLIP moved)", flipMoved, shiftMs, "DigitalOcean API"));
        t.add(entry(prefix + "FLIP answering on the new primary", flipAnswering, shiftMs, "prober"));
        if (flipMovedAway != null) {
            t.add(entry(prefix + "FLIP assigned away from " + newPrimary + " again", flipMovedAway, shiftMs,
                    "DigitalOcean API"));
        }
        for (String client : writeDown.keySet()) {
            t.add(entry(prefix + "first write OK (" + client + ")", writeDown.get(client), shiftMs, "client"));
            t.add(entry(prefix + "first read OK after a failed one (" + client + ")", firstRead.get(client), shiftMs,
                    "client"));
        }
        return t;
    }

    private static RunResult.TimelineEntry entry(String event, Long atMs, long shiftMs, String source) {
        return new RunResult.TimelineEntry(event, atMs == null ? null : atMs + shiftMs, source);
    }

    /** The assign actions started in the window, oldest first; none when the API is unreachable. */
    private static List<EmulatorAction> assignActions(Lab lab, long faultMs, long untilMs) {
        try {
            return lab.emulatorApi().actions().stream()
                    .filter(a -> a.type().equals("assign_ip") && a.startedAtMs() >= faultMs && a.startedAtMs() < untilMs)
                    .sorted(java.util.Comparator.comparingLong(EmulatorAction::startedAtMs)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Long rel(Optional<Long> atMs, long faultMs) {
        return atMs.map(at -> at - faultMs).orElse(null);
    }
}
