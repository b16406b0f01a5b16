package dev.pgflip.lab.drill;

import dev.pgflip.lab.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabFaults;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.Progress;
import dev.pgflip.lab.process.Pids;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A primary that comes back from the dead with old data: kill -9 of the primary, the failover to a standby (the FLIP
 * on it), kill -9 of the new primary too, then the first primary's PostgreSQL started again from its data directory as
 * a reboot would. It comes up read-write on its old timeline, missing every write the second primary acknowledged:
 * it must take neither the floating IP nor writes (it cannot prove it is the newest primary). Watched for
 * {@value #WATCH_MS} ms, several of the watchers' 5 s reconciles.
 *
 * <p>Through the start guard ({@code stale-restart}) it starts in recovery under a fence; by hand
 * ({@code stale-restart-by-hand}: {@code pg_ctl start}, or Debian's {@code start.conf} on {@code auto}) it starts
 * writable, and only {@code pgflip watch} fences it: the run measures how long that takes and who wrote there meanwhile.
 *
 * <p>After the load stops (and the FLIP's holder was read), the stale node is stopped and the second primary, which
 * holds the newest data, brought back as a reboot would ({@link PrimaryReboot}): the acknowledged writes are counted
 * there, its watcher takes the FLIP back, and the drill's failback then rewinds the stale node onto it.
 */
final class StaleRestartScenario implements FaultScenario {
    static final long WATCH_MS = 20_000;
    /** How long the successor's promotion may take to be recorded on the witness before it is killed all the same. */
    private static final Duration RECORD_WAIT = Duration.ofSeconds(10);

    private final Lab lab;
    private final Progress progress;
    private final LabNode first;
    private final boolean throughGuard;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    /**
     * The new primary, killed second: whichever standby repmgr promoted (the most advanced), so only known once the
     * failover completed; null before, and for good when it did not.
     */
    private LabNode second;

    StaleRestartScenario(Lab lab, Progress progress, RunStart start, boolean throughGuard) {
        this.lab = lab;
        this.progress = progress;
        this.first = start.primary();
        this.throughGuard = throughGuard;
    }

    @Override
    public void inject(LabNode target) {
        new LabFaults(lab).inject(LabFaults.Fault.KILL, target);
    }

    @Override
    public void afterRecovery(RunStage stage) throws InterruptedException {
        Optional<LabNode> newPrimary = stage.newPrimary();
        if (newPrimary.isEmpty()) {
            stage.step("the failover did not complete: the new primary is not killed, %s not restarted", first.name());
            return;
        }
        second = newPrimary.get();
        awaitPromotionRecorded(stage);
        new LabFaults(lab).inject(LabFaults.Fault.KILL, second);
        phases.put(Phase.SECOND_KILL, System.currentTimeMillis());
        stage.step("kill -9 of %s, the new primary", second.name());
        String how;
        if (throughGuard) {
            how = "start-guard: " + new LabFaults(lab).restart(first);
        } else {
            new LabFaults(lab).restartByHand(first);
            how = "pg_ctl start by hand, past the start guard";
        }
        phases.put(Phase.RESTARTED, System.currentTimeMillis());
        stage.step("%s's PostgreSQL started again from its old data directory (%s); watching %d s", first.name(), how,
                WATCH_MS / 1000);
        Thread.sleep(WATCH_MS);
    }

    /**
     * The fault is an old primary restarted after its successor's promotion is known: the successor is killed once the
     * witness records that promotion (the promote hook does, right after pg_promote). Killed before, its claim is
     * still in flight and the old primary starts in recovery as merely unproven ({@code isolated at start}), as safe
     * but another case: seen in CI (2026-12-07) when the clients' first writes came before the watch's record.
     */
    private void awaitPromotionRecorded(RunStage stage) throws InterruptedException {
        long since = System.currentTimeMillis();
        Deadline deadline = Deadline.after(RECORD_WAIT);
        OptionalLong timeline = lab.promotionRecordedOnWitness(second);
        while (timeline.isEmpty() && !deadline.expired()) {
            Thread.sleep(50);
            timeline = lab.promotionRecordedOnWitness(second);
        }
        if (timeline.isPresent()) {
            stage.step("the witness records %s's promotion onto timeline %d (%d ms after the failover was seen)",
                    second.name(), timeline.getAsLong(), System.currentTimeMillis() - since);
        } else {
            stage.step("the witness records no promotion of %s after %d s: killing it all the same (the restart is then"
                    + " judged against a claim in flight)", second.name(), RECORD_WAIT.toSeconds());
        }
    }

    @Override
    public void afterLoad() {
        bringBackNewest();
    }

    @Override
    public Map<Phase, Long> phases() {
        return Map.copyOf(phases);
    }

    @Override
    public void cleanUp() {
        bringBackNewest();
    }

    /** The stale node stopped, the second primary running again (idempotent; nothing when it was never killed). */
    private void bringBackNewest() {
        if (!phases.containsKey(Phase.SECOND_KILL)) {
            return;
        }
        lab.postgres(first).postmasterPid().ifPresent(pid -> {
            Pids.signal(lab.commands(), pid, "KILL");
            for (int i = 0; i < 100 && Pids.alive(pid); i++) {
                sleep(50);
            }
        });
        if (lab.postgres(second).postmasterPid().isEmpty()) {
            new PrimaryReboot(lab, progress).reboot(second);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
