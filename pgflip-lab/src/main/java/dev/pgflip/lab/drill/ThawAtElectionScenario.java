package dev.pgflip.lab.drill;

import dev.pgflip.lab.Deadline;
import dev.pgflip.lab.Lab;
import dev.pgflip.lab.LabNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stall that ends just as the failover starts: the primary's PostgreSQL frozen (SIGSTOP of the postmaster and every
 * child) until a standby's repmgrd has won the election and runs its promote hook (or, failing that, the hook's claim
 * is on the witness), then continued at once. The hook then
 * finds the primary answering, withdraws the claim and exits 8, and repmgrd, finding the original primary back, resumes
 * monitoring it; meanwhile the primary's {@code pgflip watch} may have seen the claim and restarted its node under a
 * fence, lifted once the claim is gone. On the lab (2026-12-07) that chain, met by freezes of 3.5-4.4 s, left the
 * standby without repmgrd: its one connection on resuming found the restarting primary refusing, and it terminated.
 * Whatever happens (usually nothing is promoted; a hook slower than the thaw may still promote, cleanly), every standby
 * still in recovery must have a looping repmgrd afterwards.
 */
final class ThawAtElectionScenario implements FaultScenario {
    /** How long the primary stays frozen at most when no election is won (then the check says so). */
    static final long MAX_FROZEN_MS = 20_000;
    private static final long POLL_MS = 20;
    /**
     * What repmgrd logs when it has won the election and is about to run its promote hook, which claims within about
     * 100 ms: the primary continues then, so its watch can see it primary again and read the claim before the hook,
     * finding it back, withdraws. That fence restart stays a matter of timing (the claim stands about 100 ms, the watch
     * looks every fencing.probe_interval): on 2026-12-07 it came in 2 of 40 drill runs (freezes of a fixed 4 s, thawed at
     * the claim, 300 ms after it, or here), against 5 of 10 called-off elections on an idle lab; every run here calls the
     * election off.
     */
    static final String ELECTION_WON_LINE = "this node is the winner, will now promote itself";
    /** How long after the primary continued every remaining standby's repmgrd may take to loop again. */
    static final int LOOPING_WAIT_S = 30;
    /** Looked at only this long after the primary continued: the hook's withdrawal and settle, repmgrd's resume. */
    static final long SETTLED_MS = 10_000;

    private final Lab lab;
    private final List<LabNode> standbys;
    private final LabNode witness;
    private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);
    private final TimedFreeze freeze;
    private LabNode node;

    ThawAtElectionScenario(Lab lab, RunStart start) {
        this.lab = lab;
        this.standbys = start.standbys();
        this.witness = start.witness();
        this.freeze = new TimedFreeze(lab);
    }

    @Override
    public long holdMs() {
        return SETTLED_MS + 5_000;
    }

    @Override
    public void inject(LabNode target) {
        node = target;
        // The witness asked over one connection opened before the freeze: a claim is seen within a poll.
        try (Connection c = lab.appSql().connect(witness.address(), "repmgr", 2);
             PreparedStatement claimed = c.prepareStatement("SELECT count(*) FROM pgflip.promotion WHERE promoting"
                     + " AND node_name = ANY (?)")) {
            claimed.setArray(1, c.createArrayOf("text", standbys.stream().map(LabNode::name).toArray()));
            Map<LabNode, Long> logFrom = new java.util.HashMap<>();
            standbys.forEach(s -> logFrom.put(s, size(lab.layout().repmgrLog(s))));
            long continued = freeze.freeze(target, MAX_FROZEN_MS,
                    () -> seen(Phase.ELECTION_WON, electionWon(logFrom)) || seen(Phase.PROMOTION_CLAIMED, anyClaim(claimed)));
            phases.put(Phase.HEALED, continued);
            // The hook's claim comes after the election (or came first): seen, it places the thaw before or after it.
            Deadline claimDeadline = Deadline.after(Duration.ofSeconds(2));
            while (!phases.containsKey(Phase.PROMOTION_CLAIMED) && !claimDeadline.expired()) {
                if (!seen(Phase.PROMOTION_CLAIMED, anyClaim(claimed))) {
                    Thread.sleep(POLL_MS);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("thaw-at-election: cannot ask the witness " + witness.name() + " for claims: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records {@code phase} now when {@code happened}; returns {@code happened}. */
    private boolean seen(Phase phase, boolean happened) {
        if (happened) {
            phases.put(phase, System.currentTimeMillis());
        }
        return happened;
    }

    /** Whether a standby's repmgrd has logged, since the freeze, that it won the election and runs its promote hook. */
    private boolean electionWon(Map<LabNode, Long> logFrom) {
        for (Map.Entry<LabNode, Long> log : logFrom.entrySet()) {
            Path file = lab.layout().repmgrLog(log.getKey());
            try (var in = Files.newInputStream(file)) {
                in.skipNBytes(Math.min(log.getValue(), Files.size(file)));
                if (new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(ELECTION_WON_LINE)) {
                    return true;
                }
            } catch (IOException e) {
                // a log being rotated or not yet there: asked again at the next poll
            }
        }
        return false;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean anyClaim(PreparedStatement claimed) {
        try (ResultSet rs = claimed.executeQuery()) {
            return rs.next() && rs.getLong(1) > 0;
        } catch (SQLException e) {
            return false; // no table yet, or a moment's error: asked again at the next poll
        }
    }

    @Override
    public void afterRecovery(RunStage stage) throws InterruptedException {
        Optional<Long> continued = Optional.ofNullable(phases.get(Phase.HEALED));
        if (continued.isEmpty()) {
            return;
        }
        stage.step("%s continued %d ms after the freeze, %s; %s", node.name(), continued.get() - stage.faultMs(),
                phases.containsKey(Phase.ELECTION_WON) ? "as a standby's repmgrd won the election"
                        : "no election won in " + MAX_FROZEN_MS / 1000 + " s",
                phases.containsKey(Phase.PROMOTION_CLAIMED) ? "the promotion claimed "
                        + (phases.get(Phase.PROMOTION_CLAIMED) - continued.get()) + " ms after that" : "no claim seen");
        // Not at once: the hook's withdrawal, its settle and repmgrd's resume are still under way.
        Thread.sleep(Math.max(0, continued.get() + SETTLED_MS - System.currentTimeMillis()));
        RepmgrdLooping.Looked looked = RepmgrdLooping.await(lab, this::stillStandbys,
                Duration.ofSeconds(LOOPING_WAIT_S));
        List<LabNode> still = looked.standbys();
        if (looked.allLoop()) {
            phases.put(Phase.REPMGRDS_LOOPING, System.currentTimeMillis());
            stage.step("every standby still in recovery (%s) has a looping repmgrd %d ms after %s continued",
                    still.isEmpty() ? "none: the standby was promoted" : still.stream().map(LabNode::name).toList(),
                    phases.get(Phase.REPMGRDS_LOOPING) - continued.get(), node.name());
        } else {
            stage.step("%d s after %s continued, repmgrd does not loop on %s%n%s", LOOPING_WAIT_S, node.name(),
                    looked.notLooping(), RepmgrdLooping.evidence(lab, still).stripTrailing());
        }
    }

    /** The run's standbys that are still in recovery: one promoted meanwhile has no repmgrd wait to show. */
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
