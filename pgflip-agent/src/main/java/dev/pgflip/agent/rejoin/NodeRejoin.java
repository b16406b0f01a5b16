package dev.pgflip.agent.rejoin;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.config.RejoinConfig;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.fence.ReadOnlyFence;
import dev.pgflip.agent.fence.RestartLock;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.promote.JdbcNodeRoleProbe;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.promote.NodeRoleProbe;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pgflip rejoin}: brings this failed old primary back as a standby of the current primary, with the steps the
 * lab found necessary: never while it still runs as a primary (repmgr does not fence, so an old primary can come back
 * read-write); the current primary found through the floating IP, which points at it; and only if that is a primary
 * on a newer timeline than this node's ({@link RejoinSafety}: the rewind must never run the other way); a CHECKPOINT
 * there first (pg_rewind reads the source's control file, which lags after a promotion); then
 * {@code repmgr node rejoin --force-rewind}; done when the node answers as a standby.
 */
public final class NodeRejoin {
    private static final Logger log = LoggerFactory.getLogger(NodeRejoin.class);
    private static final Duration REJOIN_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STANDBY_WAIT = Duration.ofSeconds(60);
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(60);
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(60);

    /** The recovery fence's own bounds: a stop (30 s) and a start (120 s). */
    static final Duration FENCE_RESTART_WAIT = Duration.ofSeconds(150);
    private final AgentConfig config;
    private final ProcessRunner runner;
    private final Supplier<NodeRoleProbe> localProbe;
    private final Supplier<ControlData> localControlData;
    private final BooleanSupplier postmasterRunning;
    private final Duration answerWait;
    private final Supplier<SourceConnection> source;
    private final Supplier<Optional<LocalStandby>> localStandby;

    public NodeRejoin(AgentConfig config, ProcessRunner runner) {
        this(config, runner, () -> new JdbcNodeRoleProbe(config.requireDatabase(), "pgflip-rejoin"),
                () -> PgControlData.read(config.requireRejoin(), runner),
                () -> PostmasterStatus.running(config.requireRejoin(), runner), ANSWER_WAIT,
                () -> JdbcSourceConnection.open(config.requireFlip().ip(), config.requireDatabase()),
                () -> LocalStandby.read(config.requireDatabase()));
    }

    /**
     * @param localProbe this node's role, over SQL
     * @param localControlData this node's control file (read only once the node is known to be stopped)
     * @param postmasterRunning whether this node's postmaster runs, asked when it does not answer SQL
     * @param answerWait how long a running postmaster that does not answer yet is given to answer
     * @param source a connection to whatever the floating IP leads to
     * @param localStandby this node's walreceiver and timeline, asked when it runs as a standby
     */
    NodeRejoin(AgentConfig config, ProcessRunner runner, Supplier<NodeRoleProbe> localProbe,
            Supplier<ControlData> localControlData, BooleanSupplier postmasterRunning, Duration answerWait,
            Supplier<SourceConnection> source, Supplier<Optional<LocalStandby>> localStandby) {
        this.localStandby = localStandby;
        this.config = config;
        this.runner = runner;
        this.localProbe = localProbe;
        this.localControlData = localControlData;
        this.postmasterRunning = postmasterRunning;
        this.answerWait = answerWait;
        this.source = source;
    }

    /**
     * @return what happened, one line for the operator. While it runs, the watch daemon's fence starts nothing on this
     *     node ({@link RestartLock}).
     */
    public String run() {
        if (config.fencing().isEmpty()) {
            return rejoin();
        }
        RestartLock lock = RestartLock.besideFenceRecord(config.fencing().get().stateFile());
        Optional<RestartLock.Held> held;
        try {
            // A fence restart in progress (stop, then start in recovery) takes seconds; it is let finish, then the
            // watch daemon starts nothing more until this rejoin is done.
            held = lock.acquire(FENCE_RESTART_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "interrupted while waiting for " + lock.file(), e);
        }
        if (held.isEmpty()) {
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "pgflip watch has been restarting this node's PostgreSQL"
                    + " (its fence) for over " + FENCE_RESTART_WAIT.toSeconds() + " s (" + lock.file() + " is held):"
                    + " nothing was changed; run pgflip rejoin again once it is done (see the watch daemon's log)");
        }
        try (RestartLock.Held rejoining = held.get()) {
            return rejoin();
        }
    }

    private String rejoin() {
        DatabaseConfig local = config.requireDatabase();
        String node = config.requireNode().name();
        try (NodeRoleProbe probe = localProbe.get()) {
            NodeRole role = probe.probe();
            if (role == NodeRole.UNREACHABLE && postmasterRunning.getAsBoolean()) {
                role = awaitAnswer(probe, node);
            }
            boolean fenced = config.fencing().map(f -> new dev.pgflip.agent.fence.FenceRecord(f.stateFile()).read()
                    .isPresent()).orElse(false);
            if (role == NodeRole.STANDBY && !fenced) {
                Optional<String> settled = standbyNeedsNoRewind(node);
                if (settled.isPresent()) {
                    return settled.get();
                }
                nodeService("stop", "stop the standby left on an older timeline before its rewind");
            }
            if (role == NodeRole.STANDBY && fenced) {
                // pgflip's fence restarted this old primary in recovery (standby.signal, no upstream): it refuses
                // writes but follows nobody. It is stopped here, as repmgr node rejoin needs, then rejoined.
                nodeService("stop", "stop the fenced node (it runs in recovery, following nobody) before its rejoin");
            }
            if (role == NodeRole.PRIMARY) {
                throw new PgflipException(ExitCode.USAGE, "node " + node + " still runs as a primary: stop it first ("
                        + "repmgr -f " + config.requireRejoin().repmgrConf() + " node service --action=stop), then run"
                        + " pgflip rejoin again; pgflip never stops a primary by itself. But only if it is the old"
                        + " primary: if it is the current one (repmgr cluster show), run pgflip rejoin on the other node");
            }
            // Stopped (pg_ctl status), as it must be for a rewind. Its timeline is then only in its control file (a
            // running node never gets here: a primary is refused above, a standby was stopped or has nothing to do).
            ControlData control = localControlData.get();
            if (control.clusterState().equals("in archive recovery")) {
                // Killed while in recovery (a fenced node, say): pg_rewind would first run crash recovery in a
                // single-user server, which refuses standby mode. A start and a clean stop leave it "shut down in
                // recovery", which pg_rewind takes as it is.
                nodeService("start", "start the node, stopped uncleanly in recovery, before its rejoin");
                nodeService("stop", "stop it again cleanly");
                control = localControlData.get();
            }
            log.info("local node={} state=\"{}\" timeline={} (checkpoint {}, min recovery {})", node,
                    control.clusterState(), control.timeline(), control.checkpointTimeline(),
                    control.minRecoveryTimeline());
            RejoinSource followed = checkSourceAndCheckpoint(node, control.timeline());
            rejoin(followed.conninfo());
            awaitStandby(probe, node);
            String fence = config.fencing().map(f -> clearFence(local, f.stateFile())).orElse("");
            return "node " + node + " rejoined as a standby of " + followed.maskedConninfo() + fence;
        }
    }

    /**
     * A running standby needs nothing while it streams. One that does not, on a timeline older than the primary's, may
     * hold WAL past the point where the primary's history left its timeline (seen with two standbys: after a failover
     * the other standby streamed from the old primary, restarted on the old timeline, and could no longer follow):
     * only a rewind lets it follow, and the rewind (onto a primary on a newer timeline only) discards nothing any
     * client was acknowledged on the primary's history. Empty when it must be rewound; else what to tell the operator.
     */
    private Optional<String> standbyNeedsNoRewind(String node) {
        Optional<LocalStandby> standby = localStandby.get();
        if (standby.isEmpty()) {
            return Optional.of("node " + node + " is already a standby: nothing to do");
        }
        RejoinSource seen;
        try (SourceConnection connection = source.get()) {
            seen = connection.describe();
        }
        // Streaming is not enough: a standby that streams from another standby still on an older timeline (its
        // primary_conninfo left on a node since rejoined) reports 'streaming' between its failed attempts to follow,
        // and was left stranded as "already a standby" (2-standby stale-restart drill, 2026-12-06).
        if (standby.get().streaming() && standby.get().timeline() >= seen.timeline()) {
            return Optional.of("node " + node + " is already a standby: nothing to do");
        }
        RejoinSafety.RejoinVerdict verdict = RejoinSafety.check(node, standby.get().timeline(), seen);
        if (verdict.safe()) {
            log.info("node {} is a standby that does not stream from the primary's timeline, on timeline {}: {}", node,
                    standby.get().timeline(), verdict.message());
            return Optional.empty();
        }
        if (verdict instanceof RejoinSafety.SourceOnSameTimeline) {
            return Optional.of("node " + node + " is a standby on timeline " + seen.timeline() + ", the primary's ("
                    + seen.describe() + "), but does not stream now: nothing to rewind; see its PostgreSQL log and"
                    + " primary_conninfo (repmgr standby follow makes it follow the primary); nothing was changed");
        }
        throw new PgflipException(verdict.exitCode(), "node " + node + " is a standby that does not stream; "
                + verdict.message());
    }

    /** Looks at the source, decides, and only if it is safe CHECKPOINTs it: a refusal leaves both nodes untouched. */
    private RejoinSource checkSourceAndCheckpoint(String node, long localTimeline) {
        try (SourceConnection connection = source.get()) {
            RejoinSource seen = connection.describe();
            RejoinSafety.RejoinVerdict verdict = RejoinSafety.check(node, localTimeline, seen);
            if (!verdict.safe()) {
                throw new PgflipException(verdict.exitCode(), verdict.message());
            }
            log.info("{}", verdict.message());
            connection.checkpoint();
            return seen;
        }
    }

    /**
     * A running postmaster that refuses connections is starting (crash recovery, a fence's restart) or its link just
     * came back: it is given {@link #answerWait} to answer, then this gives up with nothing changed.
     */
    private NodeRole awaitAnswer(NodeRoleProbe probe, String node) {
        long deadline = System.nanoTime() + answerWait.toNanos();
        while (true) {
            NodeRole role = probe.probe();
            if (role != NodeRole.UNREACHABLE) {
                log.info("node {} answers as {} (its postmaster ran but did not answer yet)", node, role);
                return role;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new PgflipException(ExitCode.PROMOTE_FAILED, "node " + node + "'s PostgreSQL runs (pg_ctl status)"
                        + " but did not answer within " + answerWait.toSeconds() + " s: see its log (still in crash"
                        + " recovery?), or stop it (repmgr -f " + config.requireRejoin().repmgrConf()
                        + " node service --action=stop) and run pgflip rejoin again; nothing was changed");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgflipException(ExitCode.PROMOTE_FAILED, "interrupted while waiting for node " + node
                        + " to answer; nothing was changed", e);
            }
        }
    }

    private void nodeService(String action, String why) {
        new NodeService(config.requireRejoin(), runner, SERVICE_TIMEOUT).run(action, why);
    }

    private void rejoin(String primaryConninfo) {
        RejoinConfig rejoin = config.requireRejoin();
        List<String> argv = List.of(rejoin.repmgr(), "-f", rejoin.repmgrConf().toString(), "node", "rejoin",
                "-d", primaryConninfo, "--force-rewind", "--config-archive-dir=" + rejoin.configArchiveDir(), "--verbose");
        try {
            ProcessResult result = runner.run(argv, Map.of(), REJOIN_TIMEOUT);
            result.stdout().lines().forEach(line -> log.info("repmgr: {}", line));
            result.stderr().lines().forEach(line -> log.info("repmgr: {}", line));
            if (!result.succeeded()) {
                throw new PgflipException(ExitCode.PROMOTE_FAILED, "repmgr node rejoin failed: " + result.describe()
                        + " (see its output above)");
            }
        } catch (IOException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot run " + rejoin.repmgr() + ": " + e.getMessage()
                    + " (set rejoin.repmgr to the repmgr binary)", e);
        }
    }

    /**
     * A fence put up while this node was a primary (kept in postgresql.auto.conf, which repmgr restores from its
     * config archive after pg_rewind) must not survive into its life as a standby: a later promotion would come up
     * read-only.
     */
    private static String clearFence(DatabaseConfig local, java.nio.file.Path stateFile) {
        try (ReadOnlyFence fence = new ReadOnlyFence(NodeConnector.of(local, "pgflip-rejoin"),
                new dev.pgflip.agent.fence.FenceRecord(stateFile))) {
            var found = fence.current();
            if (found.isEmpty()) {
                return "";
            }
            fence.lift();
            log.info("fence lifted on the rejoined standby (was: {})", found.get().reason());
            return "; its fence (" + found.get().reason() + ") is lifted";
        }
    }

    private void awaitStandby(NodeRoleProbe probe, String node) {
        long deadline = System.nanoTime() + STANDBY_WAIT.toNanos();
        while (probe.probe() != NodeRole.STANDBY) {
            if (System.nanoTime() > deadline) {
                throw new PgflipException(ExitCode.PROMOTE_FAILED, "node " + node + " was rejoined but does not answer as"
                        + " a standby after " + STANDBY_WAIT.toSeconds() + " s: check its PostgreSQL log");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgflipException(ExitCode.PROMOTE_FAILED, "interrupted", e);
            }
        }
    }
}
