package dev.pgflip.lab.drill;

import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabLayout;
import dev.pgflip.lab.LabNode;
import dev.pgflip.lab.LabRejoin;
import dev.pgflip.lab.Progress;
import dev.pgflip.lab.process.CommandResult;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * A standby promoted by hand while the primary runs: {@code pg_ctl promote} on it, as an operator who goes around
 * repmgr would ({@code repmgr standby promote} itself refuses while the primary answers). Neither repmgrd nor the
 * promote hook takes part, so nothing is claimed on the witness and nobody's hook fences the old primary. What must
 * hold all the same: the old primary acknowledges no write once the standby is a primary (its commits wait for the
 * standby that no longer streams, and its keeper does not degrade while a peer answers as a primary on a newer
 * timeline), its fence goes up, and the promoted node takes the floating IP.
 *
 * <p>After the load the promotion is recorded in repmgr, as the operator then must ({@code repmgr primary register
 * --force} on the promoted node), and its repmgrd restarted: it still monitors the old primary as its upstream and
 * would not start again as a standby's. The drill's recovery then rejoins the old primary.
 */
final class HandPromoteScenario implements FaultScenario {
    private static final Duration PROMOTE_TIMEOUT = Duration.ofSeconds(70);

    private final Lab lab;
    private final Progress progress;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    /** The standby promoted by hand; null until the injection. */
    private LabNode promoted;

    HandPromoteScenario(Lab lab, Progress progress) {
        this.lab = lab;
        this.progress = progress;
    }

    @Override
    public void inject(LabNode standby) {
        promoted = standby;
        // pg_ctl promote waits (-w, its default) until the node has left recovery.
        lab.commands().run(lab.postgres(standby).asPostgres("pg_ctl", "-D", lab.layout().dataDir(standby).toString(),
                "-t", String.valueOf(PROMOTE_TIMEOUT.toSeconds() - 10), "promote"), PROMOTE_TIMEOUT);
        phases.put(Phase.PROMOTED_BY_HAND, System.currentTimeMillis());
    }

    @Override
    public void afterLoad() {
        recordPromotion();
    }

    @Override
    public Map<Phase, Long> phases() {
        return Map.copyOf(phases);
    }

    @Override
    public void cleanUp() {
        recordPromotion();
    }

    /** What the operator does after a promotion by hand (idempotent; nothing before the injection). */
    private void recordPromotion() {
        if (promoted == null || phases.containsKey(Phase.PROMOTION_REGISTERED)) {
            return;
        }
        // A promoted node that fenced itself since is in recovery: repmgr refuses it, and the recovery rejoins it.
        CommandResult registered = lab.commands().attempt(lab.postgres(promoted).asPostgres("repmgr", "-f",
                LabLayout.NODE_REPMGR_CONF.toString(), "primary", "register", "--force"), Duration.ofSeconds(60));
        if (!registered.succeeded()) {
            progress.step("%s: repmgr primary register --force failed (exit %d): %s", promoted.name(),
                    registered.exitCode(), registered.output().strip());
            return;
        }
        new LabRejoin(lab, progress).restartRepmgrd(promoted);
        phases.put(Phase.PROMOTION_REGISTERED, System.currentTimeMillis());
        progress.step("%s: the promotion recorded in repmgr (primary register --force), its repmgrd restarted",
                promoted.name());
    }
}
