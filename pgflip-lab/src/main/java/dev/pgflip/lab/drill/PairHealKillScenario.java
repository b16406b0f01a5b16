package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.Progress;
import dev.pgflip.lab.net.SilentPartition;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A partial partition that heals, then the primary's death: the failover repmgr alone misses with two standbys. Before
 * the load, the primary and the last standby lose each other silently for {@value #CUT_MS} ms while both still
 * reach the other standby: the cut standby's repmgrd runs an election, makes the other standby (which still sees the
 * primary) its candidate and waits for its notice ({@code primary_notification_timeout}, 60 s). The cut heals; then,
 * under load, kill -9 of the primary. Were the cut standby still in that wait, the other standby (electing it on a tie)
 * and it would each wait for the other and nobody would be promoted (seen on the lab, 2026-12-05).
 *
 * <p>pgflip watch on the cut standby releases the wait once it streams from a writable primary again. The scenario
 * waits up to {@value #LOOPING_WAIT_S} s after the heal for every standby's repmgrd to loop
 * ({@link Phase#REPMGRDS_LOOPING}, {@code repmgrds_looping_before_kill}), then the load starts and the kill comes.
 */
final class PairHealKillScenario implements FaultScenario {
    static final long CUT_MS = 12_000;
    static final long LOOPING_WAIT_S = 30;

    private final Lab lab;
    private final Progress progress;
    private final LabNode primary;
    private final LabNode cut;
    private final List<LabNode> standbys;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);

    PairHealKillScenario(Lab lab, Progress progress, RunStart start) {
        if (start.standbys().size() < 2) {
            throw new LabException("fault 'pair-heal-kill' needs two or more standbys (one cut off, one that still sees"
                    + " the primary): run './pgflip lab up --standbys 2' first");
        }
        this.lab = lab;
        this.progress = progress;
        this.primary = start.primary();
        // The highest node id: on the tie an idle cluster gives (equal LSNs), repmgr elects the lowest id, so the cut
        // standby makes a sibling its candidate and waits; the lowest would elect itself and promote (a failover, and
        // the primary fenced, during the cut).
        this.cut = start.standbys().get(start.standbys().size() - 1);
        this.standbys = start.standbys();
    }

    @Override
    public void prepare() {
        LabFaults faults = new LabFaults(lab);
        faults.cut(primary, cut);
        phases.put(Phase.PAIR_CUT, System.currentTimeMillis());
        try {
            new SilentPartition(lab.commands(), lab.topology()).verifyCut(primary, cut);
            progress.step("%s and %s cut from each other for %d s (before the load)", primary.name(), cut.name(),
                    CUT_MS / 1000);
            sleep(Math.max(0, phases.get(Phase.PAIR_CUT) + CUT_MS - System.currentTimeMillis()));
        } finally {
            faults.heal(primary);
            phases.put(Phase.HEALED, System.currentTimeMillis());
        }
        stillPrimary();
        RepmgrdLooping.Looked looked;
        try {
            looked = RepmgrdLooping.await(lab, () -> standbys, Duration.ofSeconds(LOOPING_WAIT_S));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted during the pair-heal-kill fault's partition", e);
        }
        if (looked.allLoop()) {
            phases.put(Phase.REPMGRDS_LOOPING, System.currentTimeMillis());
            progress.step("cut healed; every standby's repmgrd loops again %d ms after the heal",
                    phases.get(Phase.REPMGRDS_LOOPING) - phases.get(Phase.HEALED));
        } else {
            progress.step("cut healed; %d s later repmgrd still does not loop on %s: the kill comes anyway%n%s",
                    LOOPING_WAIT_S, looked.notLooping(), RepmgrdLooping.evidence(lab, standbys).stripTrailing());
        }
    }

    /** A promotion during the cut is another fault (pair-partition's), and leaves no wait to release: said, not run. */
    private void stillPrimary() {
        String role;
        try {
            role = lab.appSql().role(primary.address(), primary.name());
        } catch (java.sql.SQLException e) {
            role = "unreachable (" + e.getMessage() + ")";
        }
        if (!role.equals("primary")) {
            throw new LabException("pair-heal-kill: " + primary.name() + " is " + role + " after the " + CUT_MS / 1000
                    + " s cut from " + cut.name() + ", not the primary: something was promoted during the cut (see the"
                    + " repmgr logs of " + cut.name() + " and the events); the kill was not made");
        }
    }

    @Override
    public void inject(LabNode target) {
        new LabFaults(lab).inject(LabFaults.Fault.KILL, target);
    }

    @Override
    public Map<Phase, Long> phases() {
        return Map.copyOf(phases);
    }

    @Override
    public void cleanUp() {
        if (phases.containsKey(Phase.PAIR_CUT) && !phases.containsKey(Phase.HEALED)) {
            new LabFaults(lab).heal(primary);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted during the pair-heal-kill fault's partition", e);
        }
    }
}
