package dev.pgflip.agent.promote;

import dev.pgflip.agent.event.PromoteTimeline;
import dev.pgflip.agent.node.NodeRole;
import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.provider.AssignResult;
import dev.pgflip.agent.provider.FlipException;
import dev.pgflip.agent.provider.NodeIdentity;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.Sleeper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * repmgr's promote_command, done fast: start the promote command and, at the same time, poll the local node;
 * as soon as it answers as primary, move the floating IP, then wait for the promote command to exit. From the moment
 * the node answers as primary the promotion has succeeded, whatever then happens to the IP (see {@link FlipDeferral}).
 *
 * <p>Why not simply run the command and then move the IP: {@code repmgr standby promote} sleeps
 * promote_check_interval (about 1 s) after the node is already writable, so that would add a second of write
 * downtime to every failover (LAB-NOTES: writable at ≈1.4 s, command returns at ≈2.4 s).
 */
public final class PromoteOrchestrator {
    private static final Logger log = LoggerFactory.getLogger(PromoteOrchestrator.class);
    /** Role poll period: the node becomes writable at one instant; 100 ms is the delay we accept after it. */
    public static final Duration PROBE_INTERVAL = Duration.ofMillis(100);

    private final String nodeName;
    private final Function<Deadline, FlipTarget> targetResolver;
    private final ProcessRunner runner;
    private final Sleeper sleeper;
    private final PromoteTimeline timeline;
    private final FlipByHand byHand;

    /**
     * @param targetResolver works out this node's droplet and the provider (a metadata call, an HTTP client): called
     *     after the promote command has started, so that work overlaps the promotion instead of delaying it
     * @param byHand how the operator moves the IP by hand, for the messages that ask them to
     */
    public PromoteOrchestrator(String nodeName, Function<Deadline, FlipTarget> targetResolver, ProcessRunner runner,
            Sleeper sleeper, PromoteTimeline timeline, FlipByHand byHand) {
        this.nodeName = nodeName;
        this.targetResolver = targetResolver;
        this.runner = runner;
        this.sleeper = sleeper;
        this.timeline = timeline;
        this.byHand = byHand;
    }

    /**
     * Promote with {@code command}, and move the IP once {@code probe} says primary. Once it does, this returns: a
     * move that fails or runs out of time is deferred to {@code pgflip watch} (see {@link FlipDeferral}).
     *
     * @throws PromoteFailedException when the node does not answer as primary within the deadline
     */
    public PromoteReport promoteAndFlip(List<String> command, NodeRoleProbe probe, Deadline deadline) {
        Process promote = start(command);
        log.info("promote started: {} (pid {}) node={} deadline={}ms", command.get(0), promote.pid(), nodeName,
                deadline.budget().toMillis());
        Supplier<FlipTarget> target = resolveWhilePromoting(deadline);
        Duration writableAfter = awaitPrimary(promote, probe, deadline);
        log.info("node writable after {}ms: node={} role=primary", writableAfter.toMillis(), nodeName);
        timeline.mark("pgflip_node_writable", Instant.now(), Map.of("after_ms", writableAfter.toMillis()));
        FlipOutcome flip = moveOrDefer(target, deadline);
        OptionalInt exit = awaitExit(promote, deadline);
        return new PromoteReport(Optional.of(writableAfter), flip, exit, deadline.elapsed());
    }

    /**
     * The node was promoted by whoever called us (the pgflip-promote wrapper, with pg_promote in shell, so no JVM
     * start delays the promotion): confirm it answers as primary, then move the IP, or defer the move as
     * {@link #promoteAndFlip} does.
     *
     * @throws PromoteFailedException when the node does not answer as primary within the deadline
     */
    public PromoteReport confirmAndFlip(NodeRoleProbe probe, Deadline deadline) {
        return confirmAndFlip(probe, deadline, Optional.empty());
    }

    /**
     * As {@link #confirmAndFlip(NodeRoleProbe, Deadline)}, with the moment the caller saw the node leave recovery.
     * The milestone then carries that moment: this JVM starts a few hundred ms after it (and after {@code repmgr
     * primary register}), which would make every client look faster than the promotion it waited for.
     */
    public PromoteReport confirmAndFlip(NodeRoleProbe probe, Deadline deadline, Optional<Instant> writableAt) {
        Duration writableAfter = awaitPrimary(null, probe, deadline);
        log.info("node {} answers as primary after {}ms", nodeName, writableAfter.toMillis());
        timeline.mark("pgflip_node_writable", writableAt.orElseGet(Instant::now), writableAt.isPresent()
                ? Map.of("after_ms", writableAfter.toMillis(), "seen_by", "promote wrapper")
                : Map.of("after_ms", writableAfter.toMillis()));
        FlipOutcome flip = moveOrDefer(() -> targetResolver.apply(deadline), deadline);
        return new PromoteReport(Optional.of(writableAfter), flip, OptionalInt.empty(), deadline.elapsed());
    }

    /**
     * Only move the IP (--skip-promote). Nothing was promoted, so a failed move is this command's failure.
     *
     * @throws FlipException when the IP could not be moved or verified in time
     */
    public PromoteReport flipOnly(Deadline deadline) {
        FlipTarget target = targetResolver.apply(deadline);
        AssignResult flip;
        try {
            flip = assign(target, deadline);
        } catch (FlipException e) {
            timeline.mark("pgflip_flip_failed", Instant.now(), Map.of("error", e.getMessage()));
            if (e.needsConfigurationFix()) {
                throw e;
            }
            throw new FlipException(e.getMessage() + "; move it by hand: " + byHand.assign(target.self().dropletId()), e);
        }
        return new PromoteReport(Optional.empty(), new FlipOutcome.Assigned(flip), OptionalInt.empty(), deadline.elapsed());
    }

    /**
     * Works out the target now, while the promotion runs; a failure is kept, not thrown: until the node has answered
     * as primary or not, nobody can tell whether it is a failed promotion (exit 1) or a deferred move (exit 0).
     */
    private Supplier<FlipTarget> resolveWhilePromoting(Deadline deadline) {
        try {
            FlipTarget target = targetResolver.apply(deadline);
            return () -> target;
        } catch (RuntimeException e) {
            return () -> {
                throw e;
            };
        }
    }

    /** The node is primary: move the IP here, or record why that has to wait. Never throws. */
    private FlipOutcome moveOrDefer(Supplier<FlipTarget> target, Deadline deadline) {
        OptionalLong dropletId = OptionalLong.empty();
        try {
            FlipTarget resolved = target.get();
            dropletId = resolved.self().dropletId();
            return new FlipOutcome.Assigned(assign(resolved, deadline));
        } catch (RuntimeException e) {
            FlipDeferral deferral = FlipDeferral.of(e);
            String line = deferral.describe(nodeName, byHand);
            if (deferral.kind() == FlipDeferral.Kind.UNEXPECTED) {
                log.error("{}", line, e);
            } else if (deferral.needsOperator()) {
                log.error("{}", line);
            } else {
                log.warn("{}", line);
            }
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("success", false);
            facts.put("ip", byHand.ip());
            dropletId.ifPresent(id -> facts.put("droplet_id", id));
            facts.put("reason", deferral.kind().key());
            facts.put("error", deferral.reason());
            timeline.mark("pgflip_flip_deferred", Instant.now(), facts);
            return deferral;
        }
    }

    private Process start(List<String> command) {
        try {
            return runner.startInheritingOutput(command);
        } catch (IOException e) {
            throw new PromoteFailedException("cannot start promote.command " + command.get(0) + ": " + e.getMessage()
                    + "; fix promote.command in the pgflip config", e);
        }
    }

    /** @param promote the running promote command, or null when the node was promoted before we were called */
    private Duration awaitPrimary(Process promote, NodeRoleProbe probe, Deadline deadline) {
        NodeRole role = NodeRole.UNREACHABLE;
        while (true) {
            role = probe.probe();
            if (role == NodeRole.PRIMARY) {
                return deadline.elapsed();
            }
            if (promote != null && !promote.isAlive() && promote.exitValue() != 0) {
                // The command gave up; one last look in case it failed after the promotion itself.
                role = probe.probe();
                if (role == NodeRole.PRIMARY) {
                    return deadline.elapsed();
                }
                throw new PromoteFailedException("promote.command exited with " + promote.exitValue() + " and node "
                        + nodeName + " is " + describe(role) + ": see repmgr's output above; the floating IP was not moved");
            }
            Duration wait = deadline.cap(PROBE_INTERVAL);
            if (wait.isZero()) {
                throw new PromoteFailedException("node " + nodeName + " did not become primary within "
                        + deadline.budget().toMillis() + "ms (last seen " + describe(role) + "); the floating IP was"
                        + " not moved: check the promote command and raise promote.deadline if it is slow");
            }
            pause(wait);
        }
    }

    /** Moves the IP and records the verified result; a failure is the caller's to judge. */
    private AssignResult assign(FlipTarget target, Deadline deadline) {
        NodeIdentity self = target.self();
        AssignResult result = target.provider().assign(self, deadline);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("ip", result.ip());
        self.dropletId().ifPresent(id -> facts.put("droplet_id", id));
        result.actionId().ifPresent(id -> facts.put("action_id", id));
        facts.put("already_held", result.alreadyHeld());
        facts.put("assign_ms", result.total().toMillis());
        timeline.mark("pgflip_flip_assigned", Instant.now(), facts);
        return result;
    }

    private OptionalInt awaitExit(Process promote, Deadline deadline) {
        if (!ProcessRunner.waitFor(promote, deadline.remaining())) {
            // Killing it could leave repmgr's metadata half-updated; the node is primary and the IP is here.
            log.warn("promote.command (pid {}) still running at the deadline; leaving it to finish", promote.pid());
            return OptionalInt.empty();
        }
        int exit = promote.exitValue();
        if (exit != 0) {
            log.warn("promote.command exited with {} although node {} is primary", exit, nodeName);
        } else {
            log.info("promote command exited 0 after {}ms", deadline.elapsed().toMillis());
        }
        return OptionalInt.of(exit);
    }

    private void pause(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PromoteFailedException("interrupted while waiting for the node to become primary", e);
        }
    }

    private static String describe(NodeRole role) {
        return role == NodeRole.STANDBY ? "still a standby" : "not answering";
    }
}
