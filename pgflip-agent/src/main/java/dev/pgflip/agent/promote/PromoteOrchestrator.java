package dev.pgflip.agent.promote;

import dev.pgflip.agent.process.ProcessRunner;
import dev.pgflip.agent.provider.AssignResult;
import dev.pgflip.agent.provider.FlipException;
import dev.pgflip.agent.provider.FlipProvider;
import dev.pgflip.agent.provider.NodeIdentity;
import dev.pgflip.agent.time.Deadline;
import dev.pgflip.agent.time.Sleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * repmgr's promote_command, done fast: start the promote command and, at the same time, poll the local node;
 * as soon as it answers as primary, move the floating IP, then wait for the promote command to exit.
 *
 * <p>Why not simply run the command and then move the IP: {@code repmgr standby promote} sleeps
 * promote_check_interval (about 1 s) after the node is already writable, so that would add a second of write
 * downtime to every failover (LAB-NOTES: writable at ≈1.4 s, command returns at ≈2.4 s).
 */
public final class PromoteOrchestrator {
    private static final Logger log = LoggerFactory.getLogger(PromoteOrchestrator.class);
    /** Role poll period: the node becomes writable at one instant; 100 ms is the delay we accept after it. */
    public static final Duration PROBE_INTERVAL = Duration.ofMillis(100);

    private final FlipProvider provider;
    private final NodeIdentity self;
    private final ProcessRunner runner;
    private final Sleeper sleeper;

    public PromoteOrchestrator(FlipProvider provider, NodeIdentity self, ProcessRunner runner, Sleeper sleeper) {
        this.provider = provider;
        this.self = self;
        this.runner = runner;
        this.sleeper = sleeper;
    }

    /** Promote with {@code command}, and move the IP once {@code probe} says primary. */
    public PromoteReport promoteAndFlip(List<String> command, NodeRoleProbe probe, Deadline deadline) {
        Process promote = start(command);
        log.info("promote started: {} (pid {}) node={} deadline={}ms", command.get(0), promote.pid(), self.name(),
                deadline.budget().toMillis());
        Duration writableAfter = awaitPrimary(promote, probe, deadline);
        log.info("node writable after {}ms: node={} role=primary", writableAfter.toMillis(), self.name());
        AssignResult flip = flip(deadline);
        OptionalInt exit = awaitExit(promote, deadline);
        return new PromoteReport(Optional.of(writableAfter), flip, exit, deadline.elapsed());
    }

    /** Only move the IP (--skip-promote). */
    public PromoteReport flipOnly(Deadline deadline) {
        AssignResult flip = flip(deadline);
        return new PromoteReport(Optional.empty(), flip, OptionalInt.empty(), deadline.elapsed());
    }

    private Process start(List<String> command) {
        try {
            return runner.startInheritingOutput(command);
        } catch (IOException e) {
            throw new PromoteFailedException("cannot start promote.command " + command.get(0) + ": " + e.getMessage()
                    + "; fix promote.command in the pgflip config", e);
        }
    }

    private Duration awaitPrimary(Process promote, NodeRoleProbe probe, Deadline deadline) {
        NodeRole role = NodeRole.UNREACHABLE;
        while (true) {
            role = probe.probe();
            if (role == NodeRole.PRIMARY) {
                return deadline.elapsed();
            }
            if (!promote.isAlive() && promote.exitValue() != 0) {
                // The command gave up; one last look in case it failed after the promotion itself.
                role = probe.probe();
                if (role == NodeRole.PRIMARY) {
                    return deadline.elapsed();
                }
                throw new PromoteFailedException("promote.command exited with " + promote.exitValue() + " and node "
                        + self.name() + " is " + describe(role) + ": see repmgr's output above; the floating IP was not moved");
            }
            Duration wait = deadline.cap(PROBE_INTERVAL);
            if (wait.isZero()) {
                throw new PromoteFailedException("node " + self.name() + " did not become primary within "
                        + deadline.budget().toMillis() + "ms (last seen " + describe(role) + "); the floating IP was"
                        + " not moved: check the promote command and raise promote.deadline if it is slow");
            }
            pause(wait);
        }
    }

    private AssignResult flip(Deadline deadline) {
        try {
            return provider.assign(self, deadline);
        } catch (FlipException e) {
            throw new FlipException(e.getMessage() + "; move it by hand: pgflip flip assign "
                    + (self.dropletId().isPresent() ? self.dropletId().getAsLong() : "<droplet-id>") + " --config <file>", e);
        }
    }

    private OptionalInt awaitExit(Process promote, Deadline deadline) {
        if (!ProcessRunner.waitFor(promote, deadline.remaining())) {
            // Killing it could leave repmgr's metadata half-updated; the node is primary and the IP is here.
            log.warn("promote.command (pid {}) still running at the deadline; leaving it to finish", promote.pid());
            return OptionalInt.empty();
        }
        int exit = promote.exitValue();
        if (exit != 0) {
            log.warn("promote.command exited with {} although node {} is primary and holds the floating IP", exit, self.name());
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
