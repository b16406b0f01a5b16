package dev.pgflip.agent.follow;

import dev.pgflip.agent.ExitCode;
import dev.pgflip.agent.PgflipException;
import dev.pgflip.agent.config.AgentConfig;
import dev.pgflip.agent.config.RejoinConfig;
import dev.pgflip.agent.db.NodeConnector;
import dev.pgflip.agent.db.RepmgrNode;
import dev.pgflip.agent.db.RepmgrNodes;
import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.process.ProcessResult;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.Sleeper;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pgflip follow}: repmgr's follow_command through the agent. Looks the node repmgrd named up in this standby's
 * repmgr.nodes, waits until it answers as a writable primary ({@link FollowRules}), then runs
 * {@code repmgr standby follow} towards it; all within one deadline. Every outcome, refusals included, is one
 * {@value #EVENT} line in the events file.
 */
public final class NodeFollow {
    public static final String EVENT = "pgflip_follow";
    static final Duration POLL = Duration.ofMillis(100);
    private static final Logger log = LoggerFactory.getLogger(NodeFollow.class);

    /** This node's copy of repmgr.nodes (a standby has it replicated from the primary). */
    @FunctionalInterface
    public interface LocalNodes {
        RepmgrNodes read() throws SQLException;
    }

    private final String self;
    private final Path repmgrConf;
    private final LocalNodes localNodes;
    private final UpstreamProbe probe;
    private final RepmgrFollow repmgr;
    private final PromoteTimeline events;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;

    /**
     * @param self this node's name ({@code node.name})
     * @param repmgrConf this node's repmgr.conf, for the messages
     * @param events where the outcome is recorded ({@link PromoteTimeline#NONE} without an events section)
     * @param nanoTime the monotonic clock the deadline runs on, moved by {@code sleeper} in tests
     */
    public NodeFollow(String self, Path repmgrConf, LocalNodes localNodes, UpstreamProbe probe, RepmgrFollow repmgr,
            PromoteTimeline events, Sleeper sleeper, LongSupplier nanoTime) {
        this.self = self;
        this.repmgrConf = repmgrConf;
        this.localNodes = localNodes;
        this.probe = probe;
        this.repmgr = repmgr;
        this.events = events;
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
    }

    /** The production wiring: {@code node.database}'s connector for both nodes, repmgr from {@code rejoin}. */
    public static NodeFollow of(AgentConfig config) {
        NodeConnector connector = NodeConnector.of(config.requireDatabase(), "pgflip-follow");
        String self = config.requireNode().name();
        RejoinConfig rejoin = config.requireRejoin();
        PromoteTimeline events = config.events().map(e -> PromoteTimeline.to(e.logFile(), self))
                .orElse(PromoteTimeline.NONE);
        LocalNodes localNodes = () -> {
            try (Connection c = connector.connectLocal()) {
                return RepmgrNodes.read(c);
            }
        };
        return new NodeFollow(self, rejoin.repmgrConf(), localNodes, new JdbcUpstreamProbe(connector),
                new RepmgrFollow(rejoin, new ProcessRunner()), events, Sleeper.SYSTEM, System::nanoTime);
    }

    /**
     * @param wait the budget of the whole follow: the lookup, the wait for a writable primary, repmgr standby follow
     * @return what happened, one line for the operator
     * @throws PgflipException {@link ExitCode#USAGE} for a node that cannot be followed or a repmgr that cannot be
     *     started, {@link ExitCode#PROMOTE_FAILED} when no writable primary answered in time or repmgr failed
     */
    public String run(int upstreamId, Duration wait) {
        Deadline deadline = Deadline.after(wait, nanoTime);
        try {
            String done = follow(upstreamId, deadline);
            record(upstreamId, true, done, deadline);
            return done;
        } catch (PgflipException e) {
            record(upstreamId, false, e.getMessage(), deadline);
            throw e;
        }
    }

    private String follow(int upstreamId, Deadline deadline) {
        RepmgrNode upstream = FollowRules.upstream(readLocalNodes(deadline), upstreamId, self);
        awaitWritablePrimary(upstream, deadline);
        if (deadline.isExpired()) {
            // Started with no time left, repmgr would be killed at once, possibly in the middle of restarting PostgreSQL.
            throw new PgflipException(ExitCode.PROMOTE_FAILED, FollowRules.describe(upstream) + " answered as a"
                    + " writable primary only as the " + deadline.budget().toMillis() + " ms wait ran out: nothing was"
                    + " changed; follow it by hand: repmgr -f " + repmgrConf + " standby follow --upstream-node-id="
                    + upstreamId);
        }
        log.info("node={} following {} (a writable primary after {} ms): running {}", self,
                FollowRules.describe(upstream), deadline.elapsed().toMillis(), String.join(" ", repmgr.argv(upstreamId)));
        ProcessResult result;
        try {
            result = repmgr.run(upstreamId, deadline.remaining());
        } catch (IOException e) {
            throw new PgflipException(ExitCode.USAGE, "cannot run " + repmgr.program() + ": " + e.getMessage()
                    + " (set rejoin.repmgr to the repmgr binary); nothing was changed", e);
        }
        if (result.timedOut()) {
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "repmgr standby follow towards "
                    + FollowRules.describe(upstream) + " did not finish within --wait " + deadline.budget().toMillis()
                    + " ms and was killed: this node may be stopped or half-configured; check it (repmgr -f "
                    + repmgrConf + " node status, pgflip status) and follow by hand: repmgr -f " + repmgrConf
                    + " standby follow --upstream-node-id=" + upstreamId);
        }
        if (!result.succeeded()) {
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "repmgr standby follow towards "
                    + FollowRules.describe(upstream) + " exited with status " + result.exitCode()
                    + " (its output is above and in repmgr's log)");
        }
        return "followed " + FollowRules.describe(upstream);
    }

    /** A standby that repmgrd just talked to answers at once; a restart in progress is given the rest of the wait. */
    private RepmgrNodes readLocalNodes(Deadline deadline) {
        while (true) {
            try {
                return localNodes.read();
            } catch (SQLException e) {
                if (deadline.isExpired()) {
                    throw new PgflipException(ExitCode.PROMOTE_FAILED, "cannot read repmgr.nodes on this node ("
                            + firstLine(e.getMessage()) + ") within " + deadline.budget().toMillis() + " ms: nothing"
                            + " was changed; see pgflip status", e);
                }
            }
            pause(deadline);
        }
    }

    private void awaitWritablePrimary(RepmgrNode upstream, Deadline deadline) {
        UpstreamAnswer.Kind seen = null;
        while (true) {
            UpstreamAnswer answer = probe.ask(upstream);
            FollowRules.Step step = FollowRules.next(answer, !deadline.isExpired());
            if (step == FollowRules.Step.FOLLOW) {
                return;
            }
            if (step == FollowRules.Step.GIVE_UP) {
                throw new PgflipException(ExitCode.PROMOTE_FAILED,
                        FollowRules.gaveUp(upstream, answer, deadline.budget(), repmgrConf));
            }
            if (answer.kind() != seen) {
                log.info("node={} not following {} yet: it answers {}; asking again every {} ms for up to {} ms", self,
                        FollowRules.describe(upstream), answer.describe(), POLL.toMillis(),
                        deadline.remaining().toMillis());
                seen = answer.kind();
            }
            pause(deadline);
        }
    }

    private void pause(Deadline deadline) {
        try {
            sleeper.sleep(deadline.cap(POLL));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgflipException(ExitCode.PROMOTE_FAILED, "interrupted before following: nothing was changed", e);
        }
    }

    private void record(int upstreamId, boolean success, String details, Deadline deadline) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("success", success);
        facts.put("upstream_node_id", upstreamId);
        facts.put("details", details);
        facts.put("after_ms", deadline.elapsed().toMillis());
        events.mark(EVENT, Instant.now(), facts);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }
}
