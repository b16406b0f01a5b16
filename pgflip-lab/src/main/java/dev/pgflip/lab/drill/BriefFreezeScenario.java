package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import java.util.EnumMap;
import java.util.Map;

/**
 * The primary's PostgreSQL frozen (SIGSTOP of the postmaster and every child) for {@value #FROZEN_MS} ms, then
 * continued: a stall as a hypervisor pause, a live migration or a starved host would make, not a death. Its kernel
 * still completes TCP handshakes, so nothing fails fast: repmgrd's check waits libpq's {@code connect_timeout} (2 s at
 * least), then its one reconnect attempt as long again, and only two failed checks in a row start a failover. A freeze
 * this short must ride through, as {@link BlipScenario}'s link loss does: no promotion, no fence, writes paused about
 * as long as the freeze. It is the price side of detecting a frozen primary faster (issue 16 asked for a failover
 * within 3.5 s of a freeze): a detection that quick would have to give up on the primary within about 2.5 s of
 * silence, and so fail over on this stall. The node continues inside the injection; the run then watches long enough
 * for a late failover to show.
 */
final class BriefFreezeScenario implements FaultScenario {
    static final long FROZEN_MS = 2_500;
    private static final long HOLD_MS = 10_000;

    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    private final TimedFreeze freeze;

    BriefFreezeScenario(Lab lab) {
        this.freeze = new TimedFreeze(lab);
    }

    @Override
    public void inject(LabNode target) {
        long continued = freeze.freeze(target, FROZEN_MS);
        // When it continued, from the fault: the checks show it (a kill slowed by load lengthens the freeze).
        phases.put(Phase.HEALED, continued);
    }

    @Override
    public long holdMs() {
        return HOLD_MS;
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
