package dev.pgflip.lab.drill;

import dev.pgflip.lab.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabRejoin;
import dev.pgflip.lab.LabStatus;
import dev.pgflip.lab.Progress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings the lab back to a healthy three-node cluster after a run, whatever its fault left behind, so the next run
 * starts from one: every node's network healed (a cut leaves entries on both sides; healing is idempotent), a node the
 * fault killed and that was no primary started again (a standby, the witness), the old primary rewound and rejoined
 * as a standby when another node is the primary now, and if two nodes still answer as primaries (a promotion the run
 * did not count on), the one without the floating IP rejoined too, and so is a standby that streams from nobody. A
 * failback run ended healthy by itself.
 */
final class RunRecovery {
    private static final Duration HEALTHY_WAIT = Duration.ofSeconds(30);

    private final Lab lab;
    private final Progress progress;

    RunRecovery(Lab lab, Progress progress) {
        this.lab = lab;
        this.progress = progress;
    }

    void after(DrillFault fault, RunResult result) {
        if (fault == DrillFault.FAILBACK) {
            awaitHealthy();
            return;
        }
        LabFaults faults = new LabFaults(lab);
        lab.topology().nodes().forEach(faults::heal);
        LabNode oldPrimary = lab.topology().node(result.oldPrimary());
        boolean rejoinOld = !result.oldPrimary().equals(result.newPrimary());
        for (LabNode node : lab.topology().nodes()) {
            if ((!rejoinOld || !node.equals(oldPrimary)) && lab.postgres(node).postmasterPid().isEmpty()) {
                String guard = faults.restart(node);
                progress.step("%s: started again (start-guard: %s)", node.name(), guard);
                if (node.initialRole() == LabNode.NodeRole.WITNESS) {
                    // A witness host that died comes back with a fresh repmgrd. One left running across the death of
                    // its own database during a failover waits for the new primary's notice on that dead connection
                    // ("unable to execute repmgr.get_new_primary()" every second, repmgr 5.3.3; seen after
                    // witness-after-failover) and copies nothing from the new primary meanwhile.
                    new LabRejoin(lab, progress).restartRepmgrd(node);
                    progress.step("%s: repmgrd restarted, as at the witness host's boot", node.name());
                }
            }
        }
        if (rejoinOld) {
            new LabRejoin(lab, progress).run(oldPrimary);
        }
        rejoinExtraPrimaries();
        rejoinStrandedStandbys();
        awaitHealthy();
    }

    /**
     * With two or more standbys, one may be left streaming from nobody: the stale-restart fault's second kill can come
     * before the first promotion's follow notice, and that standby then streams from the old primary restarted on its
     * old timeline, past where the new primary's timeline began. It is rewound onto the primary, as pgflip rejoin does
     * for a standby on an older timeline, so the next run starts from a whole cluster (its own run's
     * {@code standbys_follow} has already reported it).
     */
    private void rejoinStrandedStandbys() {
        LabStatus status = LabStatus.read(lab);
        Optional<LabNode> primary = status.nodes().stream().filter(n -> n.role().equals("primary")).findFirst()
                .map(n -> lab.topology().node(n.name()));
        List<LabNode> standbys = status.nodes().stream().filter(n -> n.role().equals("standby"))
                .map(n -> lab.topology().node(n.name())).toList();
        if (primary.isEmpty() || standbys.isEmpty()) {
            return;
        }
        Map<String, String> upstreams;
        try {
            upstreams = StandbyUpstreams.await(lab, primary.get(), standbys);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the standbys to stream", e);
        }
        upstreams.forEach((name, upstream) -> {
            if (!upstream.equals(primary.get().name())) {
                progress.step("%s streams from %s, not from the primary %s: rejoining it", name, upstream,
                        primary.get().name());
                new LabRejoin(lab, progress).run(lab.topology().node(name));
            }
        });
    }

    private void rejoinExtraPrimaries() {
        LabStatus status = LabStatus.read(lab);
        List<String> primaries = status.nodes().stream().filter(n -> n.role().equals("primary")).map(LabStatus.NodeStatus::name)
                .toList();
        if (primaries.size() < 2) {
            return;
        }
        String keep = primaries.contains(status.flip().holder()) ? status.flip().holder() : primaries.get(0);
        for (String name : primaries) {
            if (!name.equals(keep)) {
                progress.step("%s still answers as a primary beside %s (which holds the floating IP): rejoining it",
                        name, keep);
                new LabRejoin(lab, progress).run(lab.topology().node(name));
            }
        }
    }

    private void awaitHealthy() {
        Deadline deadline = Deadline.after(HEALTHY_WAIT);
        while (!LabStatus.read(lab).healthy()) {
            if (deadline.expired()) {
                throw new LabException("the lab did not become healthy after the failback:\n" + LabStatus.read(lab).table());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for the lab to become healthy", e);
            }
        }
    }
}
