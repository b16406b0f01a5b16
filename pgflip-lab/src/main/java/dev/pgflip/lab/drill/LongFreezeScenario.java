package dev.pgflip.lab.drill;

import dev.pgflip.lab.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The primary's PostgreSQL frozen for {@value #FROZEN_MS} ms, then continued: about as long as repmgrd takes to give up
 * on it (two checks of libpq's 2 s {@code connect_timeout}), so the run lands on either side of that edge by the phase
 * of repmgrd's loop. Either nothing is promoted, or the standby is, cleanly; and in the first case sometimes after an
 * election whose promote hook claimed, found the primary back and withdrew, while the primary's watch, which saw the
 * claim, restarted it under a fence (seen on 2026-12-07, operations.md). Whichever, every standby that is still one
 * must have a repmgrd that loops again afterwards: on that day one standby's repmgrd, resuming after the withdrawn
 * claim, found the restarting primary refusing its one connection and terminated, leaving no automatic failover.
 */
final class LongFreezeScenario implements FaultScenario {
    static final long FROZEN_MS = 4_000;
    /** How long after the freeze every remaining standby's repmgrd may take to loop again (the hook's settle, 2-20 s). */
    static final int LOOPING_WAIT_S = 30;
    /** Looked at only this long after the primary continued: the election, the hook's 2 s settle and repmgrd's resume. */
    static final long SETTLED_MS = 10_000;

    private final Lab lab;
    private final List<LabNode> standbys;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    private final TimedFreeze freeze;
    private LabNode node;

    LongFreezeScenario(Lab lab, RunStart start) {
        this.lab = lab;
        this.standbys = start.standbys();
        this.freeze = new TimedFreeze(lab);
    }

    @Override
    public long holdMs() {
        return SETTLED_MS + 5_000;
    }

    @Override
    public void inject(LabNode target) {
        node = target;
        long continued = freeze.freeze(target, FROZEN_MS);
        phases.put(Phase.HEALED, continued);
    }

    @Override
    public void afterRecovery(RunStage stage) throws InterruptedException {
        // Not at once: an election that started as the primary continued is still under way (the hook's claim, its
        // withdrawal and settle, repmgrd resuming), and a repmgrd that has not yet given up still loops.
        Thread.sleep(Math.max(0, phases.get(Phase.HEALED) + SETTLED_MS - System.currentTimeMillis()));
        Deadline deadline = Deadline.after(Duration.ofSeconds(LOOPING_WAIT_S));
        List<LabNode> still = stillStandbys();
        List<String> notLooping = RepmgrdLooping.notLooping(lab, still);
        while (!notLooping.isEmpty() && !deadline.expired()) {
            Thread.sleep(200);
            still = stillStandbys();
            notLooping = RepmgrdLooping.notLooping(lab, still);
        }
        if (notLooping.isEmpty()) {
            phases.put(Phase.REPMGRDS_LOOPING, System.currentTimeMillis());
            stage.step("every standby still in recovery (%s) has a looping repmgrd %d ms after %s continued",
                    still.isEmpty() ? "none: the standby was promoted" : still.stream().map(LabNode::name).toList(),
                    phases.get(Phase.REPMGRDS_LOOPING) - phases.get(Phase.HEALED), node.name());
        } else {
            stage.step("%d s after %s continued, repmgrd does not loop on %s%n%s", LOOPING_WAIT_S, node.name(),
                    notLooping, RepmgrdLooping.evidence(lab, still).stripTrailing());
        }
    }

    /** The run's standbys that are still in recovery: one promoted by the freeze has no repmgrd wait to show. */
    private List<LabNode> stillStandbys() {
        return standbys.stream().filter(s -> {
            try {
                return !lab.appSql().role(s.address(), s.name()).equals("primary");
            } catch (SQLException e) {
                return true; // a standby that cannot be asked is not left out of the check
            }
        }).toList();
    }

    @Override
    public Map<Phase, Long> phases() {
        return Map.copyOf(phases);
    }

    @Override
    public void cleanUp() {
        freeze.thaw();
    }
}
