package dev.pgflip.agent.rejoin;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.DatabaseConfig;
import dev.pgflip.agent.config.RejoinConfig;
import dev.pgflip.agent.db.JdbcProperties;
import dev.pgflip.agent.fence.ReadOnlyFence;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.promote.JdbcNodeRoleProbe;
import dev.pgflip.agent.promote.NodeRole;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pgflip rejoin}: brings this failed old primary back as a standby of the current primary, with the steps the
 * lab found necessary: never while it still runs as a primary (repmgr does not fence, so an old primary can come back
 * read-write); the current primary found through the floating IP, which points at it; a CHECKPOINT there first
 * (pg_rewind reads the source's control file, which lags after a promotion); then
 * {@code repmgr node rejoin --force-rewind}; done when the node answers as a standby.
 */
public final class NodeRejoin {
    private static final Logger log = LoggerFactory.getLogger(NodeRejoin.class);
    private static final Duration REJOIN_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STANDBY_WAIT = Duration.ofSeconds(60);

    private final AgentConfig config;
    private final ProcessRunner runner;

    public NodeRejoin(AgentConfig config, ProcessRunner runner) {
        this.config = config;
        this.runner = runner;
    }

    /** @return what happened, one line for the operator */
    public String run() {
        DatabaseConfig local = config.requireDatabase();
        String node = config.requireNode().name();
        try (JdbcNodeRoleProbe probe = new JdbcNodeRoleProbe(local, "pgflip-rejoin")) {
            NodeRole role = probe.probe();
            boolean fenced = config.fencing().map(f -> new dev.pgflip.agent.fence.FenceRecord(f.stateFile()).read()
                    .isPresent()).orElse(false);
            if (role == NodeRole.STANDBY && !fenced) {
                return "node " + node + " is already a standby: nothing to do";
            }
            if (role == NodeRole.STANDBY) {
                // pgflip's fence restarted this old primary in recovery (standby.signal, no upstream): it refuses
                // writes but follows nobody. It is stopped here, as repmgr node rejoin needs, then rejoined.
                stopFencedNode();
            }
            if (role == NodeRole.PRIMARY) {
                throw new PgflipException(ExitCode.USAGE, "node " + node + " still runs as a primary: stop it first ("
                        + "repmgr -f " + config.requireRejoin().repmgrConf() + " node service --action=stop), then run"
                        + " pgflip rejoin again; pgflip never stops a primary by itself");
            }
            String primaryConninfo = checkpointCurrentPrimary(local);
            rejoin(primaryConninfo);
            awaitStandby(probe, node);
            String fence = config.fencing().map(f -> clearFence(local, f.stateFile())).orElse("");
            return "node " + node + " rejoined as a standby of " + primaryConninfo.replaceAll("password=\\S+", "password=****")
                    + fence;
        }
    }

    private String checkpointCurrentPrimary(DatabaseConfig local) {
        String flip = config.requireFlip().ip();
        Properties props = JdbcProperties.of(local, "pgflip-rejoin");
        props.setProperty("connectTimeout", "5");
        // The agent's 1 s login bound is for its loops; a rejoin's first connection, in a JVM just started, loads the
        // whole SCRAM and driver stack and took over a second under load (the drills' intermittent "Connection
        // attempt timed out" right after the node could reach the floating IP).
        props.setProperty("loginTimeout", "10");
        props.setProperty("socketTimeout", "120");
        String url = "jdbc:postgresql://" + flip + ":" + local.port() + "/" + local.dbname();
        try (Connection c = DriverManager.getConnection(url, props); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    throw new PgflipException(ExitCode.FLIP_FAILED, "the floating IP " + flip + " leads to a standby:"
                            + " move it to the current primary first (pgflip flip assign DROPLET_ID --wait)");
                }
            }
            String conninfo;
            try (ResultSet rs = s.executeQuery(
                    "SELECT conninfo FROM repmgr.nodes WHERE node_id = repmgr.get_local_node_id()")) {
                if (!rs.next()) {
                    throw new PgflipException(ExitCode.PROMOTE_FAILED, "the primary behind " + flip
                            + " is not registered in repmgr.nodes");
                }
                conninfo = rs.getString(1);
            }
            s.execute("CHECKPOINT");
            log.info("checkpoint done on the current primary ({} via {})", conninfo.replaceAll("password=\\S+", "password=****"), flip);
            return conninfo;
        } catch (SQLException e) {
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "cannot reach the current primary through the floating IP "
                    + flip + ": " + e.getMessage(), e);
        }
    }

    private void stopFencedNode() {
        RejoinConfig rejoin = config.requireRejoin();
        List<String> argv = List.of(rejoin.repmgr(), "-f", rejoin.repmgrConf().toString(), "node", "service",
                "--action=stop");
        try {
            ProcessResult result = runner.run(argv, Map.of(), Duration.ofSeconds(60));
            if (!result.succeeded()) {
                throw new PgflipException(ExitCode.PROMOTE_FAILED, "cannot stop the fenced node for its rejoin: "
                        + result.describe());
            }
            log.info("fenced node stopped (it ran in recovery with no upstream) before its rejoin");
        } catch (IOException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot run " + rejoin.repmgr() + ": " + e.getMessage()
                    + " (set rejoin.repmgr to the repmgr binary)", e);
        }
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
        try (ReadOnlyFence fence = new ReadOnlyFence(local, JdbcProperties.of(local, "pgflip-rejoin"),
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

    private void awaitStandby(JdbcNodeRoleProbe probe, String node) {
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
