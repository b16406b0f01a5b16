package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * kill -9 of the primary, the failover to a standby, then kill -9 of the witness. With one standby the new primary is
 * left with no peer at all; it must keep writing: no standby exists that could be promoted behind it, so isolating
 * itself would only stop the one node that still serves. With two or more, the other standbys follow it and still
 * answer, so it is not isolated either: it must keep writing for that reason. Watched for {@value #WATCH_MS} ms, many
 * times the fencing bound (1.35 s).
 */
final class WitnessAfterFailoverScenario implements FaultScenario {
    static final long WATCH_MS = 15_000;

    private final Lab lab;
    private final LabNode witness;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);

    WitnessAfterFailoverScenario(Lab lab, RunStart start) {
        this.lab = lab;
        this.witness = start.witness();
    }

    @Override
    public void inject(LabNode target) {
        new LabFaults(lab).inject(LabFaults.Fault.KILL, target);
    }

    @Override
    public void afterRecovery(RunStage stage) throws InterruptedException {
        Optional<LabNode> newPrimary = stage.newPrimary();
        if (newPrimary.isEmpty()) {
            stage.step("the failover did not complete: the witness is not killed");
            return;
        }
        new LabFaults(lab).inject(LabFaults.Fault.KILL, witness);
        phases.put(Phase.WITNESS_KILLED, System.currentTimeMillis());
        stage.step("kill -9 of the witness %s; %s is alone, watching %d s", witness.name(), newPrimary.get().name(),
                WATCH_MS / 1000);
        Thread.sleep(WATCH_MS);
    }

    @Override
    public Map<Phase, Long> phases() {
        return Map.copyOf(phases);
    }
}
