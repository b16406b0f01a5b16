package dev.pgflip.lab.drill;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a run saw that its fault's checks are judged on, as plain data (times are epoch ms): built by the run from
 * the events file, the emulator's actions, the namespaces, the clients' records and the writable probe, and judged by
 * {@link FaultChecks} without touching the lab.
 *
 * @param oldPrimary the primary when the run started
 * @param standby the standby that became writable first after the fault, whichever it is (the one promoted, or
 *     wrongly promoted where nothing may move); the first standby when none did
 * @param writer the node that must hold the primary role and the FLIP at the end (for pair-partition: the one that
 *     did, decided from the events)
 * @param phases the scenario's own steps ({@link FaultScenario#phases})
 * @param assignments the FLIP's assign actions that completed after the fault, oldest first
 * @param flipInterfaceHolder the node whose interface carried the FLIP when the load stopped (null: none)
 * @param flipApiHolder the node the API said held the FLIP then (null: none, or the API did not answer)
 * @param clientOps every client stack's calls, by stack name; the first is the reference stack
 * @param ticks the writable probe's ticks from the fault to the end
 * @param apiCallsDelayed api-slow: the API calls the emulator held (null for other faults)
 * @param standbyBehind standby-behind: the standby kept behind and by how much (null for other faults)
 * @param followers after a failover, each other standby's upstream by node name (see {@link StandbyUpstreams}); empty
 *     with one standby or without a failover
 */
record RunEvidence(DrillFault fault, long faultMs, long endMs, String oldPrimary, String standby, String writer,
                   Map<Phase, Long> phases, ClusterEvents events, List<FlipAssignment> assignments,
                   String flipInterfaceHolder, String flipApiHolder, Map<String, List<OpRecord>> clientOps,
                   WritableNodesProbe.Ticks ticks, SyncSettings sync, Integer apiCallsDelayed,
                   StandbyBehindScenario.StandbyBehind standbyBehind, Map<String, String> followers) {

    /** An assign action of the FLIP that completed, to {@code node} (null: a droplet that is no lab node). */
    record FlipAssignment(String node, long completedAtMs) {}

    Optional<Long> phase(Phase phase) {
        return Optional.ofNullable(phases.get(phase));
    }

    /** The first stack's calls: the reference for the write pauses (pgflip when it runs). */
    List<OpRecord> referenceOps() {
        return clientOps.isEmpty() ? List.of() : clientOps.values().iterator().next();
    }

    String referenceStack() {
        return clientOps.isEmpty() ? "no stack" : clientOps.keySet().iterator().next();
    }

    /** {@code +1234 ms} from the fault. */
    String at(long epochMs) {
        long rel = epochMs - faultMs;
        return (rel >= 0 ? "+" : "-") + Math.abs(rel) + " ms";
    }
}
