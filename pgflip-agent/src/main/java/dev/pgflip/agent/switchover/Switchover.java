package dev.pgflip.agent.switchover;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.Recovery;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.rejoin.NodeRejoin;
import dev.pgflip.agent.repmgr.PromoteWrapper;
import dev.pgflip.agent.watch.ClusterFacts;
import dev.pgflip.agent.watch.PromotionClaims;
import dev.pgflip.agent.rejoin.NodeService;
import dev.pgflip.agent.rejoin.PgControlData;
import dev.pgflip.agent.rejoin.ShutdownCue;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * {@code pgflip switchover --to NODE}, run on the primary: hands the primary role to a caught-up standby with no
 * acknowledged commit lost, the way {@code repmgr standby switchover} does but without SSH between the nodes, and
 * with the floating IP moved by the target's own promote hook.
 * <ol>
 *   <li>Checks, changing nothing ({@link SwitchoverCheck}).
 *   <li>Pauses repmgrd on every node, so none starts a failover of its own while this node is down on purpose.
 *   <li>Drains the writes ({@link WriteDrain}): new transactions read-only, the running ones given time to end.
 *   <li>Stops this node cleanly ({@code repmgr node service --action=stop}, after a CHECKPOINT taken while writes still
 *       flowed, so the shutdown checkpoint is short): its last WAL record is the
 *       shutdown checkpoint, and a clean shutdown sends every record to the streaming standby first.
 *   <li>From the moment the control file records that checkpoint, while the stop command still finishes
 *       ({@link CleanStop}): with pgflip's promote hook on the target, claims the target's promotion on the witness;
 *       then waits until the target has received the checkpoint. If it does not in time, the claim is withdrawn, this
 *       node is started again as the primary once stopped, and nothing else has changed.
 *   <li>The point of no return: with pgflip's promote hook, promotes the target from here ({@link DirectPromotion}:
 *       connections opened before the drain, no process start in the write pause), then runs the hook on the target
 *       through its database connection
 *       ({@code COPY ... TO PROGRAM}, as the target's postgres OS user, which the repmgr superuser may already do) with
 *       {@code PGFLIP_PROMOTED_BY=switchover}: repmgr records the promotion ({@code repmgr primary register --force}),
 *       the agent moves the floating IP. With another hook, runs that hook to promote, as on a failover.
 *   <li>Tells the witness to follow the target ({@code repmgr.notify_follow_primary}) and runs every other standby's
 *       own {@code follow_command} there, as the promote hook was run on the target.
 *   <li>Once the stop command has ended, rejoins this node as a standby of the target ({@link NodeRejoin}: no rewind
 *       is needed after a clean stop).
 *   <li>Resumes repmgrd everywhere. pgflip watch on the new primary restores synchronous replication once this node
 *       streams again.
 * </ol>
 */
public final class Switchover {
    private static final Duration HOOK_TIMEOUT = Duration.ofMinutes(3);
    /** How long a promotion requested by pg_promote may take to end recovery (repmgr's promote_check_timeout). */
    private static final Duration PROMOTE_WAIT = Duration.ofSeconds(60);
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(120);
    private static final long POLL_MS = 20;
    /** Connect, login and statement timeout of the polls and the steps once the checks passed. */
    private static final int TIMEOUT_S = 5;
    /**
     * The same for the checks, before anything changes: a planned switchover is no race, and a first connection of a
     * cold agent JVM (SCRAM's key derivation in C1 code) took over 5 s on the 2-core lab with no idle CPU, ending a
     * drill's switchover before it began.
     */
    private static final int CHECK_TIMEOUT_S = 20;

    private final AgentConfig config;
    private final ProcessRunner runner;
    private final Consumer<String> say;
    private final NodeService service;
    private final long started = System.nanoTime();

    /** @param out where each step is reported as it ends, with the time since the start */
    public Switchover(AgentConfig config, ProcessRunner runner, Consumer<String> out) {
        this.config = config;
        this.runner = runner;
        this.service = new NodeService(config.requireRejoin(), runner, SERVICE_TIMEOUT);
        this.say = line -> out.accept(String.format("[%6d ms] %s", (System.nanoTime() - started) / 1_000_000, line));
    }

    /** What was read before anything changed, and what the switchover will use. */
    private record Plan(String self, RepmgrNode target, RepmgrNodes nodes, TargetPromoteCommand hook) {}

    public String run(String targetName, long maxLagBytes, Duration catchUpWait, Duration drainWait) {
        Plan plan = plan(NodeConnector.of(config.requireDatabase(), "pgflip-switchover", CHECK_TIMEOUT_S), targetName,
                maxLagBytes);
        NodeConnector connector = NodeConnector.of(config.requireDatabase(), "pgflip-switchover", TIMEOUT_S);
        say.accept("checks passed: " + plan.target().name() + " streams from " + plan.self() + " and is caught up");
        RepmgrdPause pause = new RepmgrdPause(connector, say);
        List<RepmgrNode> paused;
        try {
            paused = pause.pause(plan.nodes().all().stream().filter(RepmgrNode::active).toList());
        } catch (SQLException e) {
            throw new PgflipException(ExitCode.PROMOTE_FAILED, e.getMessage() + "; nothing was changed");
        }
        say.accept("repmgrd paused on " + paused.stream().map(RepmgrNode::name).toList());
        try {
            return switchOver(connector, plan, catchUpWait, drainWait);
        } finally {
            pause.resume(paused);
            say.accept("repmgrd resumed");
        }
    }

    private String switchOver(NodeConnector connector, Plan plan, Duration catchUpWait, Duration drainWait) {
        String target = plan.target().name();
        Optional<DirectPromotion> direct;
        try {
            direct = plan.hook().fenceRecord().isPresent()
                    ? Optional.of(DirectPromotion.open(connector, target, plan.target().conninfo(),
                            plan.nodes().activeWitness()))
                    : Optional.empty();
        } catch (SQLException e) {
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "cannot open the connections to " + target + " and the"
                    + " witness that the promotion will use (" + e.getMessage() + "): nothing was changed", e);
        }
        try {
            return handOver(connector, plan, direct, catchUpWait, drainWait);
        } finally {
            direct.ifPresent(DirectPromotion::close);
        }
    }

    private String handOver(NodeConnector connector, Plan plan, Optional<DirectPromotion> direct,
            Duration catchUpWait, Duration drainWait) {
        String self = plan.self();
        String target = plan.target().name();
        // Read before the drain: a repmgr.conf without data_directory must refuse while nothing has changed.
        ShutdownCue cue = ShutdownCue.of(config.requireRejoin());
        WriteDrain drain = new WriteDrain(connector);
        try {
            long running = drain.checkpointAndDrain(drainWait, () -> say.accept(self + ": CHECKPOINT done"));
            say.accept(self + " takes no new writes; " + (running == 0 ? "no write transaction is left"
                    : running + " write transaction(s) still running after " + drainWait.toMillis() + " ms: the stop"
                    + " aborts them"));
        } catch (SQLException e) {
            resetAfterAbort(drain);
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "cannot make " + self + " refuse new writes ("
                    + e.getMessage() + "): nothing else changed", e);
        }
        CleanStop stop = CleanStop.begin(
                () -> service.run("stop", "stop " + self + " cleanly (repmgr node service --action=stop)"),
                cue,
                () -> PgControlData.latestCheckpoint(config.requireRejoin(), runner));
        // The hooks run on other nodes (the promotion, the siblings' follow) may take minutes: their own timeout.
        NodeConnector hookConnector = NodeConnector.of(config.requireDatabase(), "pgflip-switchover",
                (int) HOOK_TIMEOUT.toSeconds());
        try {
            promoteAfterStop(connector, hookConnector, plan, direct, catchUpWait, drain, stop);
        } catch (RuntimeException e) {
            stop.awaitEnd(); // what failed has been said or is being thrown; this node must be down before we exit
            throw e;
        }
        try {
            stop.awaitStopped();
        } catch (PgflipException e) {
            throw new PgflipException(ExitCode.PROMOTE_FAILED, target + " is the primary, but " + self + "'s stop"
                    + " command failed after its shutdown checkpoint (" + e.getMessage() + "): once " + self + " is"
                    + " down, run pgflip rejoin there", e);
        }
        notifyFollowers(connector, hookConnector, plan);
        String rejoined = new NodeRejoin(config, runner).run();
        say.accept(rejoined);
        try {
            drain.reset();
        } catch (SQLException e) {
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "switchover done, but default_transaction_read_only"
                    + " could not be reset on " + self + " (" + e.getMessage() + "): run ALTER SYSTEM RESET"
                    + " default_transaction_read_only there, or its next promotion comes up read-only", e);
        }
        return "switchover done: " + target + " is the primary, " + self + " its standby";
    }

    /**
     * From the shutdown checkpoint to the target's promotion: the stop command may still be finishing meanwhile
     * ({@link CleanStop}), and is waited for before any restart of this node.
     */
    private void promoteAfterStop(NodeConnector connector, NodeConnector hookConnector, Plan plan,
            Optional<DirectPromotion> direct, Duration catchUpWait, WriteDrain drain, CleanStop stop) {
        String self = plan.self();
        String target = plan.target().name();
        PgControlData.CheckpointLocation checkpoint = stop.awaitCheckpoint();
        if (!checkpoint.clusterState().equals("shut down")) {
            restartAsPrimary(drain, stop);
            throw new PgflipException(ExitCode.PROMOTE_FAILED, self + " did not stop cleanly (its control file says '"
                    + checkpoint.clusterState() + "'): it was started again as the primary; nothing else changed");
        }
        say.accept(self + " wrote its shutdown checkpoint at " + checkpoint.location() + ": no session is left");
        if (direct.isPresent()) {
            // Claimed while the target still receives that checkpoint (the walsenders send it after it is written).
            Optional<DirectPromotion.Result> refused = direct.get().claimFirst();
            if (refused.isPresent()) {
                restartAsPrimary(drain, stop);
                throw new PgflipException(ExitCode.PROMOTE_FAILED, refused.get().detail() + ": " + self + " was"
                        + " started again as the primary; nothing else changed");
            }
        }
        if (!awaitReceived(connector, plan.target(), direct.map(DirectPromotion::target), checkpoint.location(),
                catchUpWait)) {
            String notReceived = target + " had not received " + self + "'s shutdown checkpoint ("
                    + checkpoint.location() + ") within " + catchUpWait.toMillis() + " ms";
            DirectPromotion.Result withdrawn = direct.map(d -> d.withdrawn(notReceived))
                    .orElse(new DirectPromotion.Result(DirectPromotion.Outcome.NOT_PROMOTED, notReceived));
            if (withdrawn.outcome() != DirectPromotion.Outcome.NOT_PROMOTED) {
                throw new PgflipException(ExitCode.PROMOTE_FAILED, withdrawn.detail() + ". " + self + " stays stopped:"
                        + " started while " + target + "'s claim stands, it would fence itself. Withdraw it on the"
                        + " witness (UPDATE pgflip.promotion SET promoting = false WHERE node_name = '" + target
                        + "'), then start " + self + " again (repmgr node service --action=start) and run ALTER"
                        + " SYSTEM RESET default_transaction_read_only there. repmgrd is resumed");
            }
            restartAsPrimary(drain, stop);
            throw new PgflipException(ExitCode.PROMOTE_FAILED, withdrawn.detail() + ": " + self + " was started again"
                    + " as the primary; nothing else changed");
        }
        if (direct.isPresent()) {
            say.accept(target + " has received everything up to it and its promotion is claimed: promoting it");
            promoteDirectly(direct.get(), hookConnector, plan, drain, stop);
        } else {
            say.accept(target + " has received everything up to it: promoting " + target + " through its promote hook");
            promote(connector, hookConnector, plan, drain, stop);
            say.accept(target + " is the primary (its promote hook claimed the promotion and moved the floating IP)");
        }
    }

    /** Waits for the stop command before this node is started again or left; its failure is told, not thrown. */
    private void awaitStoppedAfterAbort(CleanStop stop) {
        try {
            stop.awaitStopped();
        } catch (PgflipException e) {
            say.accept(e.getMessage());
        }
    }

    private Plan plan(NodeConnector connector, String targetName, long maxLagBytes) {
        String self = config.requireNode().name();
        try (Connection local = connector.connectLocal()) {
            boolean primary = !Recovery.inRecovery(local);
            RepmgrNodes nodes = RepmgrNodes.read(local);
            Optional<RepmgrNode> target = nodes.named(targetName);
            Optional<String> state = Optional.empty();
            OptionalLong lag = OptionalLong.empty();
            if (primary) {
                try (PreparedStatement ps = local.prepareStatement("SELECT state, pg_wal_lsn_diff(pg_current_wal_lsn(),"
                        + " replay_lsn)::bigint FROM pg_stat_replication WHERE application_name = ?")) {
                    ps.setString(1, targetName);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            state = Optional.of(rs.getString(1));
                            long bytes = rs.getLong(2);
                            lag = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(bytes);
                        }
                    }
                }
            }
            Optional<Boolean> targetInRecovery = Optional.empty();
            Optional<TargetPromoteCommand> hook = Optional.empty();
            boolean fenced = false;
            if (target.isPresent() && !targetName.equals(self)) {
                String configFile = configFile(local, targetName);
                try (Connection t = connector.connect(target.get().conninfo())) {
                    targetInRecovery = Optional.of(Recovery.inRecovery(t));
                    hook = TargetPromoteCommand.from(readFile(t, configFile), Path.of(configFile));
                    fenced = hook.flatMap(TargetPromoteCommand::fenceRecord).map(f -> exists(t, f.toString())).orElse(false);
                } catch (SQLException e) {
                    // Not reachable: the check names it.
                }
                if (targetInRecovery.isPresent() && hook.isEmpty()) {
                    throw new PgflipException(ExitCode.USAGE, targetName + "'s repmgr.conf (" + configFile + ") sets"
                            + " no promote_command: nothing was changed");
                }
            }
            SwitchoverFacts facts = new SwitchoverFacts(self, primary, nodes.named(self), target, targetInRecovery,
                    state, lag, nodes.activeWitness().map(w -> askWitness(connector, w, targetName)), fenced);
            List<String> problems = SwitchoverCheck.problems(facts, targetName, maxLagBytes);
            if (!problems.isEmpty()) {
                throw new PgflipException(ExitCode.USAGE, "no switchover to " + targetName + ", nothing was changed: "
                        + String.join("; ", problems));
            }
            return new Plan(self, target.get(), nodes, hook.get());
        } catch (SQLException e) {
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "cannot read this node's state (" + e.getMessage()
                    + "): nothing was changed", e);
        }
    }

    /** Whether the witness answers, and whether it would let the target's promotion be claimed. */
    private static SwitchoverFacts.WitnessAnswer askWitness(NodeConnector connector, dev.pgflip.agent.db.Conninfo witness,
            String target) {
        try (Connection c = connector.connect(witness)) {
            ClusterFacts.Claim claim = PromotionClaims.read(c).get(target);
            // No row: never marked, so eligible.
            return claim != null && !claim.eligible() ? SwitchoverFacts.WitnessAnswer.TARGET_INELIGIBLE
                    : SwitchoverFacts.WitnessAnswer.TARGET_ELIGIBLE;
        } catch (SQLException e) {
            return SwitchoverFacts.WitnessAnswer.SILENT;
        }
    }

    private static String configFile(Connection local, String node) throws SQLException {
        try (PreparedStatement ps = local.prepareStatement("SELECT config_file FROM repmgr.nodes WHERE node_name = ?")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null || rs.getString(1).isBlank()) {
                    throw new PgflipException(ExitCode.USAGE, "repmgr.nodes records no config_file for " + node
                            + ": register it again with repmgr -f /etc/repmgr.conf standby register --force");
                }
                return rs.getString(1);
            }
        }
    }

    private static String readFile(Connection c, String file) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_read_file(?)")) {
            ps.setString(1, file);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static boolean exists(Connection c, String file) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_stat_file(?, true) IS NOT NULL")) {
            ps.setString(1, file);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Polls the target until its received WAL passes the checkpoint, for at most {@code wait}, on the kept connection
     * when there is one.
     */
    private boolean awaitReceived(NodeConnector connector, RepmgrNode target, Optional<Connection> kept,
            String checkpoint, Duration wait) {
        try (Connection opened = kept.isPresent() ? null : connector.connect(target.conninfo())) {
            return awaitReceived(kept.orElse(opened), target, checkpoint, wait);
        } catch (SQLException e) {
            say.accept("cannot ask " + target.name() + " how far it has received: " + e.getMessage());
            return false;
        }
    }

    private boolean awaitReceived(Connection t, RepmgrNode target, String checkpoint, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try (PreparedStatement ps = t.prepareStatement("SELECT coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(),"
                     + " ?::pg_lsn) > 0, false)")) {
            ps.setString(1, checkpoint);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return true;
                    }
                }
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                Thread.sleep(POLL_MS);
            }
        } catch (SQLException e) {
            say.accept("cannot ask " + target.name() + " how far it has received: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The old primary in charge again after an abort: started, and taking writes. */
    private void restartAsPrimary(WriteDrain drain, CleanStop stop) {
        awaitStoppedAfterAbort(stop);
        service.run("start", "start this node again as the primary (repmgr node service --action=start)");
        resetAfterAbort(drain);
    }

    private void resetAfterAbort(WriteDrain drain) {
        try {
            drain.reset();
        } catch (SQLException e) {
            say.accept("could not reset default_transaction_read_only (" + e.getMessage() + "): run ALTER SYSTEM"
                    + " RESET default_transaction_read_only; SELECT pg_reload_conf(); on this node");
        }
    }

    /**
     * The target promoted from here ({@link DirectPromotion}), then its promote hook run there only to record the
     * promotion in repmgr and move the floating IP ({@code PGFLIP_PROMOTED_BY=switchover}).
     */
    private void promoteDirectly(DirectPromotion direct, NodeConnector hookConnector, Plan plan, WriteDrain drain,
            CleanStop stop) {
        String target = plan.target().name();
        DirectPromotion.Result result = direct.promoteClaimed(PROMOTE_WAIT);
        switch (result.outcome()) {
            case NOT_PROMOTED -> {
                restartAsPrimary(drain, stop);
                throw new PgflipException(ExitCode.PROMOTE_FAILED, result.detail() + ": " + plan.self() + " was started"
                        + " again as the primary; nothing else changed");
            }
            case UNKNOWN -> throw new PgflipException(ExitCode.PROMOTE_FAILED, result.detail() + ". " + plan.self()
                    + " stays stopped: started, it could be a second primary. Once " + target + " answers: a primary,"
                    + " run pgflip rejoin on " + plan.self() + "; still a standby, start " + plan.self() + " again (repmgr"
                    + " node service --action=start) and run ALTER SYSTEM RESET default_transaction_read_only there."
                    + " repmgrd is resumed, and may fail over to " + target + " meanwhile");
            case PROMOTED -> say.accept(target + " is the primary (promotion claimed on the witness, pg_promote)");
        }
        try (Connection t = hookConnector.connect(plan.target().conninfo()); Statement s = t.createStatement()) {
            s.execute(CopyToProgram.statement(PromoteWrapper.PROMOTED_BY + "=switchover " + plan.hook().command()));
            say.accept(target + "'s promotion recorded by repmgr; its promote hook moved the floating IP");
        } catch (SQLException e) {
            say.accept(target + "'s promote hook could not record the promotion (" + e.getMessage() + "; its output is"
                    + " in " + target + "'s PostgreSQL log): run repmgr primary register --force there; pgflip watch on "
                    + target + " moves the floating IP");
        }
    }

    private void promote(NodeConnector connector, NodeConnector hookConnector, Plan plan, WriteDrain drain,
            CleanStop stop) {
        String target = plan.target().name();
        try (Connection t = hookConnector.connect(plan.target().conninfo()); Statement s = t.createStatement()) {
            s.execute(plan.hook().copyToProgram());
        } catch (SQLException e) {
            boolean promoted = false;
            try (Connection t = connector.connect(plan.target().conninfo())) {
                promoted = !Recovery.inRecovery(t);
            } catch (SQLException ignored) {
                // unknown: treated as not promoted
            }
            if (promoted) {
                say.accept(target + "'s promote hook failed after the promotion (" + e.getMessage() + "): pgflip watch"
                        + " on " + target + " moves the floating IP");
                return;
            }
            restartAsPrimary(drain, stop);
            throw new PgflipException(ExitCode.PROMOTE_FAILED, target + "'s promote hook failed and " + target
                    + " is still a standby (" + e.getMessage() + "; its output is in " + target + "'s PostgreSQL"
                    + " log): " + plan.self() + " was started again as the primary", e);
        }
    }

    /**
     * Tells the witness to follow the target, as repmgrd on a promoted node does after a failover
     * ({@code repmgr.notify_follow_primary}): {@code repmgr standby promote} tells nobody, and a witness left waiting
     * would keep recording the old primary as the primary, which is what pgflip's guards ask it. Every other standby
     * runs its own follow_command ({@link SiblingFollowCommand}), since its paused repmgrd would not act on the notice.
     */
    private void notifyFollowers(NodeConnector connector, NodeConnector hookConnector, Plan plan) {
        for (RepmgrNode node : plan.nodes().all()) {
            if (!node.active() || node.name().equals(plan.self()) || node.name().equals(plan.target().name())) {
                continue;
            }
            if (node.type() == RepmgrNode.Type.STANDBY && followThroughItsCommand(hookConnector, plan, node)) {
                continue;
            }
            try (Connection c = connector.connect(node.conninfo()); Statement s = c.createStatement()) {
                s.execute("SELECT repmgr.notify_follow_primary(" + plan.target().id() + ")");
                say.accept(node.name() + " (" + node.type().label() + ") told to follow " + plan.target().name());
            } catch (SQLException e) {
                say.accept("could not tell " + node.name() + " to follow " + plan.target().name() + " ("
                        + e.getMessage() + "): its repmgrd finds the new primary by itself, later");
            }
        }
    }

    /** Runs the standby's follow_command there; false (said why) when it has none or it failed. */
    private boolean followThroughItsCommand(NodeConnector hookConnector, Plan plan, RepmgrNode standby) {
        try (Connection c = hookConnector.connect(standby.conninfo()); Statement s = c.createStatement()) {
            String configFile = configFile(c, standby.name());
            Optional<SiblingFollowCommand> follow = SiblingFollowCommand.from(readFile(c, configFile),
                    Path.of(configFile), plan.target().id());
            if (follow.isEmpty()) {
                say.accept(standby.name() + "'s repmgr.conf (" + configFile + ") sets no follow_command");
                return false;
            }
            s.execute(follow.get().copyToProgram());
            say.accept(standby.name() + " (standby) follows " + plan.target().name() + " (its follow_command)");
            return true;
        } catch (SQLException | RuntimeException e) {
            say.accept(standby.name() + "'s follow_command failed (" + e.getMessage() + "; its output is in "
                    + standby.name() + "'s PostgreSQL log): telling its repmgrd instead");
            return false;
        }
    }
}
