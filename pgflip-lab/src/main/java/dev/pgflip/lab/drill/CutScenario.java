package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabException;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.net.SilentPartition;
import java.util.EnumMap;
import java.util.Map;

/**
 * The primary and one other node lose each other, silently, while both still reach the third node and the
 * application; healed after a while inside the run. pair-partition: primary and standby (the witness still sees the
 * primary, so nothing should be promoted; or, if the standby is, the primary must have fenced itself first).
 * witness-partition: primary and witness (the standby still streams: nothing may change). The cut is checked once in
 * place (both ways silent, every other path answering): one that leaks, or cuts more, would measure something else.
 */
final class CutScenario implements FaultScenario {
    /** Issue 13: the data nodes lose each other for 30 s. */
    static final long PAIR_HOLD_MS = 30_000;
    /** Long enough for repmgrd on the witness to give the primary up, and for anything that follows to show. */
    static final long WITNESS_HOLD_MS = 20_000;
    /** After the heal: a fenced old primary meets the newer timeline, a watcher may pull the FLIP back. */
    private static final long AFTER_HEAL_MS = 5_000;

    private final Lab lab;
    private final LabNode peer;
    private final long holdMs;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    private LabNode cut;

    CutScenario(Lab lab, LabNode peer, long holdMs) {
        this.lab = lab;
        this.peer = peer;
        this.holdMs = holdMs;
    }

    @Override
    public void inject(LabNode target) {
        cut = target;
        new LabFaults(lab).cut(target, peer);
        try {
            // About 2 s (pg_isready's floor on the silent paths); the load and the probes run on their own threads.
            new SilentPartition(lab.commands(), lab.topology()).verifyCut(target, peer);
        } catch (LabException e) {
            heal();
            throw e;
        }
    }

    @Override
    public long holdMs() {
        return holdMs;
    }

    @Override
    public void endFault() {
        heal();
    }

    @Override
    public long tailMs() {
        return AFTER_HEAL_MS;
    }

    @Override
    public Map<Phase, Long> phases() {
        return Map.copyOf(phases);
    }

    @Override
    public void cleanUp() {
        if (cut != null && !phases.containsKey(Phase.HEALED)) {
            heal();
        }
    }

    private void heal() {
        new LabFaults(lab).heal(cut);
        phases.put(Phase.HEALED, System.currentTimeMillis());
    }
}
