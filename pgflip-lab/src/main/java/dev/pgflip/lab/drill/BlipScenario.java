package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import java.util.EnumMap;
import java.util.Map;

/**
 * The primary's only link goes down for {@value #DOWN_MS} ms, then up: shorter than the fencing bound (1.35 s) and
 * than repmgrd's one reconnect attempt, which follows its first failed check at once, about 0.9-1 s after the loss on
 * the lab (its log shows it), so nothing may move, and the writes may pause only about as long as the blip. The link
 * comes up inside the injection; the run then watches long enough for a late failover to show.
 */
final class BlipScenario implements FaultScenario {
    static final long DOWN_MS = 800;
    private static final long HOLD_MS = 10_000;

    private final Lab lab;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    private LabNode node;

    BlipScenario(Lab lab) {
        this.lab = lab;
    }

    @Override
    public void inject(LabNode target) {
        node = target;
        try {
            lab.network().blip(target, java.time.Duration.ofMillis(DOWN_MS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot blip " + target.name() + "'s link", e);
        }
        // The time the link came back, from the fault: the checks show it (an `ip` run slowed by load lengthens it).
        phases.put(Phase.HEALED, System.currentTimeMillis());
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
        if (node != null) {
            lab.network().setLink(node, true);
        }
    }
}
